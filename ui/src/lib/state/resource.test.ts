import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendError } from '../ipc';
import { Resource, THROTTLED_RETRY_MS } from './resource.svelte';
import { Task } from './task.svelte';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const storageError: BackendError = { kind: 'storage', message: 'The saved mail could not be read.' };

describe('Resource', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is loading until the answer comes, then shows it', async () => {
    const resource = new Resource<string>();
    const answer = deferred<string>();

    const done = resource.load(() => answer.promise);
    expect(resource.loading).toBe(true);
    expect(resource.loaded).toBe(false);

    answer.resolve('inbox');
    expect(await done).toBe(true);
    expect(resource.current).toBe('inbox');
    expect(resource.loading).toBe(false);
  });

  it('never lets a slower answer to an older request replace a newer one', async () => {
    const resource = new Resource<string>();
    const older = deferred<string>();
    const newer = deferred<string>();

    const first = resource.load(() => older.promise);
    const second = resource.load(() => newer.promise);
    newer.resolve('amira');
    await second;
    older.resolve('jane');

    expect(await first).toBe(false);
    expect(resource.current).toBe('amira');
    expect(resource.loading).toBe(false);
  });

  it('stays loading while the newest request is on its way, even when an older one answers', async () => {
    const resource = new Resource<string>();
    const older = deferred<string>();
    const newer = deferred<string>();

    const first = resource.load(() => older.promise);
    void resource.load(() => newer.promise);
    older.resolve('stale');
    await first;

    expect(resource.current).toBeUndefined();
    expect(resource.loading).toBe(true);
  });

  it('ignores the failure of a request that a newer one has overtaken', async () => {
    const report = vi.fn();
    const resource = new Resource<string>(report);
    const older = deferred<string>();

    const first = resource.load(() => older.promise);
    await resource.load(async () => 'fresh');
    older.reject(storageError);
    await first;

    expect(resource.error).toBeNull();
    expect(resource.current).toBe('fresh');
    expect(report).not.toHaveBeenCalled();
  });

  it('keeps the value shown when asking again fails, records why and reports it', async () => {
    const report = vi.fn();
    const resource = new Resource<string>(report);
    await resource.load(async () => 'saved');

    await resource.load(() => Promise.reject(storageError));

    expect(resource.current).toBe('saved');
    expect(resource.error).toEqual(storageError);
    expect(report).toHaveBeenCalledWith(storageError);
  });

  it('turns anything else thrown into a plain internal fault', async () => {
    const resource = new Resource<string>();
    await resource.load(() => Promise.reject(new TypeError('invoke is not a function')));

    expect(resource.error).toEqual({ kind: 'internal', message: '' });
  });

  it('keeps a quiet refresh’s failure to itself while there is something to show', async () => {
    const resource = new Resource<string>();
    await resource.load(async () => 'saved');

    await resource.load(() => Promise.reject(storageError), { quiet: true });
    expect(resource.error).toBeNull();

    resource.clear();
    await resource.load(() => Promise.reject(storageError), { quiet: true });
    expect(resource.error).toEqual(storageError);
  });

  it('forgets the old value first when the question changes', async () => {
    const resource = new Resource<string>();
    await resource.load(async () => 'Monday');
    const answer = deferred<string>();

    const done = resource.load(() => answer.promise, { clear: true });
    expect(resource.loaded).toBe(false);
    answer.resolve('Tuesday');
    await done;
    expect(resource.current).toBe('Tuesday');
  });

  it('shows what is saved, without an error, when the device is offline', async () => {
    const report = vi.fn();
    const resource = new Resource<string>(report);
    await resource.load(async () => 'saved');

    await resource.load(() => Promise.reject({ kind: 'offline', message: 'The council could not be reached.' }));

    expect(resource.current).toBe('saved');
    expect(resource.offline).toBe(true);
    expect(resource.error).toBeNull();
    expect(report).toHaveBeenCalledWith({ kind: 'offline', message: 'The council could not be reached.' });

    await resource.load(async () => 'fresh');
    expect(resource.offline).toBe(false);
  });

  it('asks again by itself when the council’s service is busy', async () => {
    vi.useFakeTimers();
    const resource = new Resource<string>();
    const request = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce({ kind: 'throttled', message: 'Slow down.' })
      .mockResolvedValueOnce('answer');

    await resource.load(request);
    expect(resource.error?.kind).toBe('throttled');

    await vi.advanceTimersByTimeAsync(THROTTLED_RETRY_MS);

    expect(request).toHaveBeenCalledTimes(2);
    expect(resource.current).toBe('answer');
    expect(resource.error).toBeNull();
  });

  it('does not ask again for a busy service once a newer question has been asked', async () => {
    vi.useFakeTimers();
    const resource = new Resource<string>();
    const busy = vi.fn(() => Promise.reject({ kind: 'throttled', message: '' }));

    await resource.load(busy);
    await resource.load(async () => 'other');
    await vi.advanceTimersByTimeAsync(THROTTLED_RETRY_MS);

    expect(busy).toHaveBeenCalledOnce();
  });

  it('asks the same question again on retry', async () => {
    const resource = new Resource<string>();
    const request = vi.fn<() => Promise<string>>().mockRejectedValueOnce(storageError).mockResolvedValueOnce('second');

    await resource.load(request);
    await resource.retry();

    expect(request).toHaveBeenCalledTimes(2);
    expect(resource.current).toBe('second');
    expect(resource.error).toBeNull();
  });

  it('lets a change’s answer replace the value, and drops a load that started before it', async () => {
    const resource = new Resource<string>();
    const load = deferred<string>();

    const loading = resource.load(() => load.promise);
    await resource.change(async () => 'changed');
    load.resolve('before the change');
    await loading;

    expect(resource.current).toBe('changed');
    expect(resource.loading).toBe(false);
  });

  it('throws a change’s failure to the caller and keeps the value', async () => {
    const resource = new Resource<string>();
    await resource.load(async () => 'kept');

    await expect(resource.change(() => Promise.reject(storageError))).rejects.toEqual(storageError);
    expect(resource.current).toBe('kept');
    expect(resource.error).toBeNull();
  });

  it('treats a value from the core’s own event as newer than any answer on its way', async () => {
    const resource = new Resource<string>();
    const answer = deferred<string>();

    const loading = resource.load(() => answer.promise);
    resource.set('from the event');
    answer.resolve('older');
    await loading;

    expect(resource.current).toBe('from the event');
  });

  it('drops answers on their way once cleared', async () => {
    const resource = new Resource<string>();
    const answer = deferred<string>();

    const loading = resource.load(() => answer.promise);
    resource.clear();
    answer.resolve('late');
    await loading;

    expect(resource.loaded).toBe(false);
    expect(resource.loading).toBe(false);
  });
});

describe('Task', () => {
  it('runs one thing at a time and names what is running', async () => {
    const task = new Task();
    const first = deferred<void>();
    const work = vi.fn(() => first.promise);

    const running = task.run(work, 'flag');
    expect(task.running).toBe('flag');
    expect(await task.run(work, 'flag')).toBe(false);
    first.resolve();

    expect(await running).toBe(true);
    expect(work).toHaveBeenCalledOnce();
    expect(task.running).toBeNull();
  });

  it('keeps a failure, reports it, and runs the same work again on retry', async () => {
    const report = vi.fn();
    const task = new Task(report);
    const work = vi.fn<() => Promise<void>>().mockRejectedValueOnce(storageError).mockResolvedValueOnce();

    expect(await task.run(work)).toBe(false);
    expect(task.error).toEqual(storageError);
    expect(report).toHaveBeenCalledWith(storageError);

    expect(await task.retry()).toBe(true);
    expect(work).toHaveBeenCalledTimes(2);
    expect(task.error).toBeNull();
  });
});
