export const verifyAuthenticationResponse=()=>{}; export const verifyRegistrationResponse=()=>{}; export const generateRegistrationOptions=()=>{}; export const generateAuthenticationOptions=()=>{};
