// Today: the day's tasks with Complete, Skip and Undo; points, progress, better percentage, streak.
// The user can step back to earlier days to mark what they forgot (figures stay as of today).
import { useComputed, useSignal } from '@preact/signals';
import { addDays } from '../../../core/dates.ts';
import { firstTaskDay, type HomeTask, homeData } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { Explain } from './explain.tsx';
import { refocus, rowButton } from './focus.ts';
import { formatDate, formatPercent, plural } from './format.ts';
import { taskHref } from './router.ts';
import { Stat } from './stat.tsx';
import { Welcome } from './welcome.tsx';

export function TodayScreen({ app }: { app: AppModel }) {
  // How many days back from today the user is looking (0 = today).
  const back = useSignal(0);
  const data = useComputed(() =>
    homeData(app.view.value, addDays(app.today.value, -back.value), app.today.value),
  );
  const { tasks, progress, points, betterPercent, streak, date } = data.value;
  const isToday = back.value === 0;
  const mark = (name: 'completeTask' | 'skipTask' | 'uncompleteTask', task: HomeTask) => {
    const args =
      name === 'uncompleteTask' ? { taskId: task.id, date } : { taskId: task.id, date, points: task.points };
    void app.mutate(name, args);
    // Complete and Skip turn into Undo (and back): keep the keyboard on the row.
    refocus(() => rowButton(`task-${task.id}`));
  };
  // Tasks count from the day they were created: before that there is nothing to mark.
  const first = useComputed(() => firstTaskDay(app.view.value)).value;
  const beforeRoutine = first === undefined || date < first;
  return (
    <section aria-labelledby="today-title">
      <header class="screen-header">
        <h1 id="today-title">
          {isToday ? 'Today' : formatDate(date, { weekday: 'long', month: 'long', day: 'numeric' })}
        </h1>
        <p class="muted">{isToday ? formatDate(date, { dateStyle: 'full' }) : 'Marking an earlier day'}</p>
        <div class="row day-nav">
          <button
            type="button"
            class="small-button"
            disabled={back.value >= 30 || beforeRoutine}
            onClick={() => back.value++}
          >
            Previous day
          </button>
          {!isToday && (
            <>
              <button type="button" class="small-button" onClick={() => back.value--}>
                Next day
              </button>
              <button type="button" class="small-button" onClick={() => (back.value = 0)}>
                Back to today
              </button>
            </>
          )}
        </div>
      </header>
      <div class="stats">
        <Stat
          label={isToday ? 'Points today' : 'Points that day'}
          value={String(points.day)}
          explain="points"
        />
        <Stat label="Total points" value={String(points.total)} />
        <Stat label="Better percentage" value={formatPercent(betterPercent)} explain="betterPercent" />
        <Stat label="Streak" value={plural(streak.current, 'day')} explain="streak" />
      </div>
      <div class="row progress-row">
        <p class="muted" aria-live="polite">
          {progress.total > 0
            ? `${progress.done} of ${progress.total} done`
            : first && date < first
              ? `Your routine starts on ${formatDate(first, { month: 'long', day: 'numeric' })}.`
              : `Nothing scheduled ${isToday ? 'today' : 'that day'}.`}
        </p>
        {tasks.length > 0 && <Explain topic="skip" />}
      </div>
      <ul class="task-list">
        {tasks.map((task) => (
          <li key={task.id} class={`task task-${task.status}`} aria-labelledby={`task-${task.id}`}>
            <span class="task-title" id={`task-${task.id}`}>
              <a href={taskHref(task.id)}>{task.title}</a>
            </span>
            <span class="task-meta">
              {task.status === 'completed' && <span class="badge ok">Completed · +{task.earned}</span>}
              {task.status === 'skipped' && <span class="badge">Skipped</span>}
              {task.status === 'open' && (
                <span class="muted small">
                  {plural(task.points, 'point')}
                  {task.optional && ' · any day this week'}
                </span>
              )}
            </span>
            <span class="task-actions">
              {task.status === 'open' ? (
                <>
                  <button type="button" class="primary" onClick={() => mark('completeTask', task)}>
                    Complete
                  </button>
                  <button type="button" onClick={() => mark('skipTask', task)}>
                    Skip
                  </button>
                </>
              ) : (
                <button type="button" onClick={() => mark('uncompleteTask', task)}>
                  Undo
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {isToday && app.view.value.tasks.length === 0 && <Welcome />}
      {isToday && app.view.value.tasks.length > 0 && !app.view.value.tasks.some((t) => !t.archived) && (
        <p>
          <a href="#/tasks">Add a task</a> to start your routine.
        </p>
      )}
    </section>
  );
}
