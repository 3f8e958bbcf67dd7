import { useEffect, useId, useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin';
import { POLICY_METHODS, REQUIRE_MFA_VALUES, type Policy, type RequireMfa, type VerifyMethod } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { methodLabel } from '../../lib/methods';
import { useAction } from '../../lib/useAction';
import { useLoader } from '../../lib/useLoader';
import { AdminNav } from './AdminNav';
import { parseRoles } from './RolesDialog';

/** Only the contract's fields go back in the PUT; anything else the service reports stays put. */
function editable(p: Policy): Policy {
  return {
    require_mfa: p.require_mfa,
    roles: p.roles ?? [],
    grace_period_days: p.grace_period_days,
    allowed_methods: p.allowed_methods ?? [],
    trusted_device_days: p.trusted_device_days,
    step_up_max_age_s: p.step_up_max_age_s,
  };
}

/** The organisation's MFA policy. */
export function PolicyPage() {
  const loaded = useLoader(() => adminApi.policy());
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [rolesText, setRolesText] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const requireId = useId();

  useEffect(() => {
    if (loaded.data) {
      setPolicy(editable(loaded.data));
      setRolesText((loaded.data.roles ?? []).join(', '));
    }
  }, [loaded.data]);

  const update = (patch: Partial<Policy>) => {
    setSaved(false);
    setPolicy((p) => (p ? { ...p, ...patch } : p));
  };
  const toggleMethod = (m: VerifyMethod, on: boolean) =>
    policy && update({ allowed_methods: on ? [...new Set([...policy.allowed_methods, m])] : policy.allowed_methods.filter((x) => x !== m) });
  const num = (k: 'grace_period_days' | 'trusted_device_days' | 'step_up_max_age_s') => (e: React.ChangeEvent<HTMLInputElement>) =>
    update({ [k]: e.target.value === '' ? 0 : Number(e.target.value) });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!policy) return;
    await run(async () => {
      const result = await adminApi.savePolicy({ ...policy, roles: parseRoles(rolesText) });
      setPolicy(editable(result ?? policy));
      setSaved(true);
    });
  };

  return (
    <div>
      <PageHeading lead={t('policy.lead')}>{t('admin.title')}</PageHeading>
      <AdminNav />
      <ErrorAlert error={loaded.error} />
      {policy && (
        <form className="card stack policy-form" onSubmit={save}>
          <div className="field">
            <label htmlFor={requireId}>{t('policy.requireMfa')}</label>
            <select id={requireId} value={policy.require_mfa} onChange={(e) => update({ require_mfa: e.target.value as RequireMfa })} data-testid="policy-require-mfa">
              {REQUIRE_MFA_VALUES.map((v) => (
                <option key={v} value={v}>
                  {t(`policy.require.${v}`)}
                </option>
              ))}
            </select>
          </div>
          {policy.require_mfa === 'roles' && (
            <Field label={t('policy.roles')} hint={t('roles.othersHint')} value={rolesText} onChange={(e) => (setSaved(false), setRolesText(e.target.value))} testId="policy-roles" />
          )}
          <Field label={t('policy.grace')} hint={t('policy.graceHint')} type="number" min={0} max={365} step={1} inputMode="numeric" value={policy.grace_period_days} onChange={num('grace_period_days')} testId="policy-grace" />
          <fieldset className="checkbox-group">
            <legend>{t('policy.allowedMethods')}</legend>
            {POLICY_METHODS.map((m) => (
              <label key={m} className="checkbox">
                <input type="checkbox" checked={policy.allowed_methods.includes(m)} onChange={(e) => toggleMethod(m, e.target.checked)} data-testid={`policy-method-${m}`} />
                <span>{methodLabel(m)}</span>
              </label>
            ))}
          </fieldset>
          <Field label={t('policy.trustedDays')} hint={t('policy.trustedDaysHint')} type="number" min={0} max={365} step={1} inputMode="numeric" value={policy.trusted_device_days} onChange={num('trusted_device_days')} testId="policy-trusted-days" />
          <Field label={t('policy.stepUp')} hint={t('policy.stepUpHint')} type="number" min={0} max={86400} step={1} inputMode="numeric" value={policy.step_up_max_age_s} onChange={num('step_up_max_age_s')} testId="policy-step-up" />
          <ErrorAlert error={error} />
          <Notice testId="policy-saved">{saved && t('policy.saved')}</Notice>
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="policy-save">
              {busy ? t('common.working') : t('policy.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
