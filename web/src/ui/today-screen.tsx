// Today: the day's tasks with Complete, Skip and Undo; points, progress, better percentage, streak.
import { useComputed } from '@preact/signals';
import { type HomeTask, homeData } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import { formatDate, formatPercent, plural } from './format.ts';
import { Stat } from './stat.tsx';

export function TodayScreen({ app }: { app: AppModel }) {
  const data = useComputed(() => homeData(app.view.value, app.today.value));
  const { tasks, progress, points, betterPercent, streak, date } = data.value;
  const mark = (name: 'completeTask' | 'skipTask' | 'uncompleteTask', task: HomeTask) => {
    const args =
      name === 'uncompleteTask' ? { taskId: task.id, date } : { taskId: task.id, date, points: task.points };
    void app.mutate(name, args);
  };
  return (
    <section aria-labelledby="today-title">
      <header class="screen-header">
        <h1 id="today-title">Today</h1>
        <p class="muted">{formatDate(date, { dateStyle: 'full' })}</p>
      </header>
      <div class="stats">
        <Stat label="Points today" value={String(points.day)} />
        <Stat label="Total points" value={String(points.total)} />
        <Stat label="Better" value={formatPercent(betterPercent)} />
        <Stat label="Streak" value={plural(streak.current, 'day')} />
      </div>
      <p class="muted" aria-live="polite">
        {progress.total === 0 ? 'Nothing scheduled today.' : `${progress.done} of ${progress.total} done`}
      </p>
      {!app.hasData.value && tasks.length === 0 ? (
        <p class="muted">Loading your tasks…</p>
      ) : (
        <ul class="task-list">
          {tasks.map((task) => (
            <li key={task.id} class={`task task-${task.status}`} aria-labelledby={`task-${task.id}`}>
              <span class="task-title" id={`task-${task.id}`}>
                {task.title}
              </span>
              <span class="task-meta">
                {task.status === 'completed' && <span class="badge ok">Completed · +{task.earned}</span>}
                {task.status === 'skipped' && <span class="badge">Skipped</span>}
                {task.status === 'open' && <span class="muted small">{plural(task.points, 'point')}</span>}
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
      )}
      {app.hasData.value && tasks.length === 0 && (
        <p>
          <a href="#/tasks">Add a task</a> to start your routine.
        </p>
      )}
    </section>
  );
}
