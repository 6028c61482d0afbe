// The one-screen introduction an empty account starts with, in place of an empty task list.
export function Welcome() {
  return (
    <section class="card welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Routine Sync</h2>
      <p>Build habits one day at a time. Here is how it works:</p>
      <ul>
        <li>
          <strong>Tasks</strong> are the habits of your routine: on chosen weekdays, a number of times a week,
          or every few days.
        </li>
        <li>
          Each day, <strong>complete</strong> what you did and <strong>skip</strong> what you could not do for
          a good reason. Completing earns the task's <strong>points</strong>.
        </li>
        <li>
          Your <strong>streak</strong> counts days with everything done; the{' '}
          <strong>better percentage</strong> grows 1% for each fully done day; each task's{' '}
          <strong>strength</strong> shows how established it is.
        </li>
        <li>Log your weight on Health. Everything syncs to your other devices, online or offline.</li>
      </ul>
      <p>
        <a class="button primary" href="#/tasks">
          Add a task
        </a>
      </p>
    </section>
  );
}
