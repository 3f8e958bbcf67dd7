import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './session/SessionProvider';
import { StepUpProvider } from './stepup/StepUpProvider';
import './styles/base.css';
import './styles/layout.css';
import './styles/surfaces.css';
import './styles/controls.css';
import './styles/widgets.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <StepUpProvider>
        <App />
      </StepUpProvider>
    </SessionProvider>
  </StrictMode>,
);
