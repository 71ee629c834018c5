import type { ReactElement } from 'react';
import type { GpuRental } from '../../shared/domain/earnings.js';
import type { Settings, SettingsPatch } from '../../shared/domain/settings.js';
import { SaveActions } from '../settings/SaveActions.js';
import { typedNumber } from '../settings/settings-errors.js';
import { TextField } from '../settings/TextField.js';
import { useSettingsForm } from '../settings/use-settings-form.js';

interface Draft {
  inferenceUsd: string;
  inferencePer: GpuRental['per'];
  trainingUsd: string;
  trainingPer: GpuRental['per'];
  electricityUsdPerKwh: string;
  watts: string;
  hoursPerDay: string;
  otherUsdPerMonth: string;
  oneOffUsd: string;
  taoUsd: string;
  rehearsalTaoPerAlpha: string;
  decisionDay: string;
}

function toDraft({ economics }: Settings): Draft {
  return {
    inferenceUsd: String(economics.inferenceGpu.usd),
    inferencePer: economics.inferenceGpu.per,
    trainingUsd: String(economics.trainingGpu.usd),
    trainingPer: economics.trainingGpu.per,
    electricityUsdPerKwh: String(economics.electricityUsdPerKwh),
    watts: String(economics.watts),
    hoursPerDay: String(economics.hoursPerDay),
    otherUsdPerMonth: String(economics.otherUsdPerMonth),
    oneOffUsd: String(economics.oneOffUsd),
    taoUsd: economics.taoUsd === null ? '' : String(economics.taoUsd),
    rehearsalTaoPerAlpha: String(economics.rehearsalTaoPerAlpha),
    decisionDay: String(economics.decisionDay),
  };
}

function toPatch(draft: Draft): SettingsPatch {
  return {
    economics: {
      inferenceGpu: { usd: typedNumber(draft.inferenceUsd), per: draft.inferencePer },
      trainingGpu: { usd: typedNumber(draft.trainingUsd), per: draft.trainingPer },
      electricityUsdPerKwh: typedNumber(draft.electricityUsdPerKwh),
      watts: typedNumber(draft.watts),
      hoursPerDay: typedNumber(draft.hoursPerDay),
      otherUsdPerMonth: typedNumber(draft.otherUsdPerMonth),
      oneOffUsd: typedNumber(draft.oneOffUsd),
      // Left empty: no entered price (days in an imported price list still have theirs).
      taoUsd: draft.taoUsd.trim() === '' ? null : typedNumber(draft.taoUsd),
      rehearsalTaoPerAlpha: typedNumber(draft.rehearsalTaoPerAlpha),
      decisionDay: typedNumber(draft.decisionDay),
    },
  };
}

function RentalFields(props: {
  name: string;
  usd: string;
  per: GpuRental['per'];
  error: string | undefined;
  onChange: (usd: string, per: GpuRental['per']) => void;
}): ReactElement {
  return (
    <div className="rental-fields">
      <TextField
        label={`${props.name} GPU rent, USD`}
        value={props.usd}
        error={props.error}
        inputMode="decimal"
        onChange={(usd) => props.onChange(usd, props.per)}
      />
      <label>
        per
        <select
          aria-label={`${props.name} GPU rent per`}
          value={props.per}
          onChange={(event) => props.onChange(props.usd, event.target.value as GpuRental['per'])}
        >
          <option value="hour">hour</option>
          <option value="month">month</option>
        </select>
      </label>
    </div>
  );
}

/** The operator's costs and prices, saved into the settings' economics section. */
export function CostForm({ settings }: { settings: Settings }): ReactElement {
  const { draft, set, errors, save, submit } = useSettingsForm(settings, toDraft, toPatch);

  const field = (key: keyof Draft, label: string, errorKey: string): ReactElement => (
    <TextField
      label={label}
      value={String(draft[key])}
      error={errors[`economics.${errorKey}`]}
      inputMode="decimal"
      onChange={(value) => set({ [key]: value })}
    />
  );

  return (
    <form
      className="card card-wide settings-form"
      aria-label="Costs and prices"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>Costs</h2>
      <RentalFields
        name="Inference"
        usd={draft.inferenceUsd}
        per={draft.inferencePer}
        error={errors['economics.inferenceGpu']}
        onChange={(inferenceUsd, inferencePer) => set({ inferenceUsd, inferencePer })}
      />
      <RentalFields
        name="Training"
        usd={draft.trainingUsd}
        per={draft.trainingPer}
        error={errors['economics.trainingGpu']}
        onChange={(trainingUsd, trainingPer) => set({ trainingUsd, trainingPer })}
      />
      {field('electricityUsdPerKwh', 'Electricity, USD per kWh', 'electricityUsdPerKwh')}
      {field('watts', 'Power drawn, watts', 'watts')}
      {field('hoursPerDay', 'Hours a day at that power', 'hoursPerDay')}
      {field('otherUsdPerMonth', 'Other costs, USD per month', 'otherUsdPerMonth')}
      {field('oneOffUsd', 'One-off costs (registration burn, setup), USD', 'oneOffUsd')}
      <h2>Prices</h2>
      {field('taoUsd', 'TAO price, USD (empty: none)', 'taoUsd')}
      {field('rehearsalTaoPerAlpha', 'Local subnet: TAO per α (fixed rehearsal price)', 'rehearsalTaoPerAlpha')}
      <h2>Decision</h2>
      {field('decisionDay', 'Decide after this many days of mining', 'decisionDay')}
      <SaveActions label="Save costs" save={save} />
    </form>
  );
}
