// Composition root of the web app: picks the concrete adapters and mounts the UI.
import { render } from 'preact';

function App() {
  return <main>Routine Sync</main>;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
