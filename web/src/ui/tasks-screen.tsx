// Tasks: create, edit, schedule by weekday, reorder, archive and restore.
import { useSignal } from '@preact/signals';
import type { Task } from '../../../core/schemas/record-schemas.ts';
import type { AppModel } from '../app/app-model.ts';
import { createTaskArgs, reorderedIds } from '../cache/task-actions.ts';
import { plural } from './format.ts';
import { TaskForm, type TaskInput } from './task-form.tsx';

const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function schedule(weekdays: readonly number[]): string {
  if (weekdays.length === 7) return 'Every day';
  return weekdays.map((d) => DAY_SHORT[d]).join(', ');
}

export function TasksScreen({ app }: { app: AppModel }) {
  const editing = useSignal<string | null>(null);
  const snapshot = app.view.value;
  const weekStart = snapshot.settings.weekStart;
  const active = snapshot.tasks.filter((t) => !t.archived);
  const archived = snapshot.tasks.filter((t) => t.archived);
  const create = (input: TaskInput) => {
    void app.mutate('createTask', createTaskArgs(app.view.peek(), input, app.today.peek()));
  };
  const edit = (task: Task, input: TaskInput) => {
    editing.value = null;
    void app.mutate('editTask', { id: task.id, ...input });
  };
  const move = (task: Task, delta: -1 | 1) => {
    const ids = reorderedIds(app.view.peek(), task.id, delta);
    if (ids) void app.mutate('reorderTasks', { ids });
  };
  const archive = (task: Task, archivedFlag: boolean) =>
    void app.mutate('archiveTask', { id: task.id, date: app.today.peek(), archived: archivedFlag });

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
      {active.length === 0 && <p class="muted">No tasks yet.</p>}
      <ul class="task-list manage">
        {active.map((task, i) => (
          <li key={task.id} class="task" aria-labelledby={`manage-${task.id}`}>
            {editing.value === task.id ? (
              <TaskForm
                initial={{ title: task.title, points: task.points, weekdays: [...task.weekdays] }}
                weekStart={weekStart}
                submitLabel="Save task"
                idPrefix={`edit-${task.id}`}
                onSubmit={(input) => edit(task, input)}
                onCancel={() => (editing.value = null)}
              />
            ) : (
              <>
                <span class="task-title" id={`manage-${task.id}`}>
                  {task.title}
                </span>
                <span class="task-meta muted small">
                  {plural(task.points, 'point')} · {schedule(task.weekdays)}
                </span>
                <span class="task-actions">
                  <button type="button" onClick={() => (editing.value = task.id)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    aria-label={`Move ${task.title} up`}
                    disabled={i === 0}
                    onClick={() => move(task, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move ${task.title} down`}
                    disabled={i === active.length - 1}
                    onClick={() => move(task, 1)}
                  >
                    ↓
                  </button>
                  <button type="button" onClick={() => archive(task, true)}>
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
                  {task.title}
                </span>
                <span class="task-actions">
                  <button type="button" onClick={() => archive(task, false)}>
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
