// Settings › Your data: export everything (JSON to import back, CSV for spreadsheets) and import an
// export. The work happens in data-transfer.ts, loaded on first use.
import { useSignal } from '@preact/signals';
import type { AppModel } from '../app/app-model.ts';
import type { ImportOutcome } from './data-transfer.ts';

const loadTransfer = () => import('./data-transfer.ts');

export function DataSettings({ app }: { app: AppModel }) {
  const busy = useSignal(false);
  const outcome = useSignal<ImportOutcome | null>(null);
  const onImport = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    busy.value = true;
    outcome.value = null;
    const transfer = await loadTransfer();
    outcome.value = await transfer.importFile(app, file, Date.now());
    busy.value = false;
    input.value = '';
  };
  return (
    <section class="card" aria-labelledby="data-title">
      <h2 id="data-title">Your data</h2>
      <p class="muted small">
        Export every task, mark, weight and setting. The JSON file can be imported back, here or into another
        account; the CSV files open in a spreadsheet.
      </p>
      <div class="row">
        <button type="button" onClick={async () => (await loadTransfer()).exportJson(app, Date.now())}>
          Export data
        </button>
        <button type="button" onClick={async () => (await loadTransfer()).exportCsvZip(app, Date.now())}>
          Export as CSV
        </button>
      </div>
      <label for="import-file">Import data</label>
      <input
        id="import-file"
        type="file"
        accept=".json,application/json"
        aria-describedby="import-help"
        disabled={busy.value}
        onChange={(e) => void onImport(e.currentTarget)}
      />
      <p id="import-help" class="muted small">
        Adds what the file has and this account lacks; where both have a record, the newer edit is kept.
        Importing the same file again changes nothing.
      </p>
      {outcome.value && (
        <p class={outcome.value.ok ? '' : 'error'} role={outcome.value.ok ? 'status' : 'alert'}>
          {outcome.value.text}
        </p>
      )}
    </section>
  );
}
