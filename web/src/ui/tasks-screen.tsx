// Tasks: create, edit, schedule, reorder, archive and restore; each title links to the task's page.
import { useSignal } from '@preact/signals';
import type { Task } from '../../../core/schemas/record-schemas.ts';
import type { AppModel } from '../app/app-model.ts';
import { createTaskArgs, reorderedIds } from '../cache/task-actions.ts';
import { refocus, rowButton, rowOf } from './focus.ts';
import { describeSchedule, plural } from './format.ts';
import { taskHref } from './router.ts';
import { TaskForm, type TaskInput } from './task-form.tsx';

export function TasksScreen({ app }: { app: AppModel }) {
  const editing = useSignal<string | null>(null);
  const snapshot = app.view.value;
  const weekStart = snapshot.settings.weekStart;
  const active = snapshot.tasks.filter((t) => !t.archived);
  const archived = snapshot.tasks.filter((t) => t.archived);
  const create = (input: TaskInput) => {
    void app.mutate('createTask', createTaskArgs(app.view.peek(), input, app.today.peek()));
  };
  // Back to the row's Edit button when its form closes, so the keyboard user stays where they were.
  const closeEditor = (task: Task) => {
    editing.value = null;
    refocus(() => rowButton(`manage-${task.id}`));
  };
  const edit = (task: Task, input: TaskInput) => {
    closeEditor(task);
    void app.mutate('editTask', { id: task.id, ...input });
  };
  const move = (task: Task, delta: -1 | 1) => {
    const ids = reorderedIds(app.view.peek(), task.id, delta);
    if (!ids) return;
    void app.mutate('reorderTasks', { ids });
    // The same arrow again (to keep moving), or the other one once the task reached an end.
    const row = () => rowOf(`manage-${task.id}`);
    refocus(
      () =>
        row()?.querySelector(`[data-move="${delta}"]:not(:disabled)`) ??
        row()?.querySelector('[data-move]:not(:disabled)'),
    );
  };
  const archive = (task: Task, archivedFlag: boolean) => {
    // Archiving removes the row: focus goes to the next one (or the previous, or the form).
    const i = active.indexOf(task);
    const next = active[i + 1] ?? active[i - 1];
    void app.mutate('archiveTask', { id: task.id, date: app.today.peek(), archived: archivedFlag });
    refocus(() =>
      archivedFlag
        ? ((next && rowButton(`manage-${next.id}`)) ?? document.getElementById('new-task-title'))
        : rowButton(`manage-${task.id}`),
    );
  };

  return (
    <section aria-labelledby="tasks-title">
      <header class="screen-header">
        <h1 id="tasks-title">Tasks</h1>
      </header>
      <div class="card">
        <h2>New task</h2>
        <TaskForm weekStart={weekStart} submitLabel="Add task" idPrefix="new-task" onSubmit={create} />
      </div>
      <h2>Your routine</h2>
      {active.length === 0 && (
        <p class="muted">No tasks yet. Add one above: it shows on Today on the days you pick.</p>
      )}
      <ul class="task-list manage">
        {active.map((task, i) => (
          <li key={task.id} class="task" aria-labelledby={`manage-${task.id}`}>
            {editing.value === task.id ? (
              <TaskForm
                initial={{
                  title: task.title,
                  points: task.points,
                  weekdays: [...task.weekdays],
                  schedule: task.schedule ?? { kind: 'weekdays' },
                }}
                weekStart={weekStart}
                submitLabel="Save task"
                idPrefix={`edit-${task.id}`}
                onSubmit={(input) => edit(task, input)}
                onCancel={() => closeEditor(task)}
              />
            ) : (
              <>
                <span class="task-title" id={`manage-${task.id}`}>
                  <a href={taskHref(task.id)}>{task.title}</a>
                </span>
                <span class="task-meta muted small">
                  {plural(task.points, 'point')} · {describeSchedule(task, weekStart)}
                </span>
                <span class="task-actions">
                  <button
                    type="button"
                    aria-label={`Edit ${task.title}`}
                    onClick={() => (editing.value = task.id)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    aria-label={`Move ${task.title} up`}
                    data-move="-1"
                    disabled={i === 0}
                    onClick={() => move(task, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move ${task.title} down`}
                    data-move="1"
                    disabled={i === active.length - 1}
                    onClick={() => move(task, 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    aria-label={`Archive ${task.title}`}
                    onClick={() => archive(task, true)}
                  >
                    Archive
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {archived.length > 0 && (
        <details class="archived">
          <summary>Archived ({archived.length})</summary>
          <ul class="task-list">
            {archived.map((task) => (
              <li key={task.id} class="task" aria-labelledby={`archived-${task.id}`}>
                <span class="task-title" id={`archived-${task.id}`}>
                  <a href={taskHref(task.id)}>{task.title}</a>
                </span>
                <span class="task-actions">
                  <button
                    type="button"
                    aria-label={`Restore ${task.title}`}
                    onClick={() => archive(task, false)}
                  >
                    Restore
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
