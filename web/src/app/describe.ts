// Words for what a mutation was, so a rollback toast can say what was undone and why.
import type { Snapshot } from '../../../core/snapshot.ts';
import type { OutboxEntry } from '../sync/storage.ts';

function field(args: unknown, name: string): string | undefined {
  if (args && typeof args === 'object' && name in args) {
    const value = (args as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function taskTitle(snapshot: Snapshot, id: string | undefined): string {
  const title = id ? snapshot.taskById.get(id)?.title : undefined;
  return title ? `“${title}”` : 'the task';
}

export function describeMutation(entry: Pick<OutboxEntry, 'name' | 'args'>, snapshot: Snapshot): string {
  const { args } = entry;
  switch (entry.name) {
    case 'completeTask':
      return `complete ${taskTitle(snapshot, field(args, 'taskId'))}`;
    case 'skipTask':
      return `skip ${taskTitle(snapshot, field(args, 'taskId'))}`;
    case 'uncompleteTask':
      return `undo ${taskTitle(snapshot, field(args, 'taskId'))}`;
    case 'createTask':
      return `create “${field(args, 'title') ?? 'task'}”`;
    case 'editTask':
      return `edit ${taskTitle(snapshot, field(args, 'id'))}`;
    case 'archiveTask':
      return `archive ${taskTitle(snapshot, field(args, 'id'))}`;
    case 'reorderTasks':
      return 'reorder the tasks';
    case 'logWeight':
      return `save the weight for ${field(args, 'date') ?? 'the day'}`;
    case 'deleteWeight':
      return `delete the weight for ${field(args, 'date') ?? 'the day'}`;
    case 'updateSettings':
      return 'change the settings';
    default:
      return 'save a change';
  }
}

export function rollbackMessage(
  entry: Pick<OutboxEntry, 'name' | 'args'>,
  snapshot: Snapshot,
  reason: string,
) {
  const why = reason.trim().replace(/\.?$/, '.');
  return `Couldn't ${describeMutation(entry, snapshot)}: ${why} The change was undone.`;
}
