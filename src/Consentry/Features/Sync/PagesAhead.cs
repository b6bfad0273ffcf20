using Consentry.Connectors;

namespace Consentry.Features.Sync;

/// <summary>
/// The pages of one read asked for ahead of the one being stored, in cursor order: the next page always, and when the
/// platform's cursors are page numbers (<see cref="IPlatformConnector.CursorAhead"/>) up to
/// <see cref="SyncOptions.PagesAhead"/> of them at once, never more than the platform said are left. A bounded window:
/// at most that many pages are held in memory. Asking for a cursor that is not the first in the window (a page asked
/// again after a rate limit or a token refresh) drops the window and fetches afresh, so no page read with an old token
/// or out of order is ever stored.
/// </summary>
internal sealed class PagesAhead(Func<string?, Task<DataPage>> fetch, IPlatformConnector connector, SyncOptions settings)
{
    private readonly Queue<(string Cursor, Task<DataPage> Page)> _window = new();
    private readonly List<Task<DataPage>> _dropped = [];

    /// <summary>Pages currently asked for ahead (for tests).</summary>
    public int Count => _window.Count;

    /// <summary>The page at <paramref name="cursor"/>: the one already on its way, or a fresh fetch.</summary>
    public Task<DataPage> TakeAsync(string? cursor)
    {
        if (cursor is not null && _window.TryPeek(out var first) && first.Cursor == cursor)
        {
            return _window.Dequeue().Page;
        }

        Drop();
        return fetch(cursor);
    }

    /// <summary>
    /// The page at <paramref name="cursor"/> when it is first in the window and has already arrived as data (mapped and
    /// ready to store); otherwise null, and the window is left as it was. Never waits.
    /// </summary>
    public DataPage.Ok? TakeReady(string cursor)
    {
        if (!_window.TryPeek(out var first) || first.Cursor != cursor || !first.Page.IsCompletedSuccessfully || first.Page.Result is not DataPage.Ok ready)
        {
            return null;
        }

        _window.Dequeue();
        return ready;
    }

    /// <summary>
    /// Asks for the page at <paramref name="next"/> and, when cursors are page numbers, the pages after it, up to the
    /// window and to <paramref name="recordsLeft"/> (the platform's total less what was read; null when unknown).
    /// </summary>
    public void Fill(string next, long? recordsLeft)
    {
        var wanted = settings.PagesAhead;
        if (recordsLeft is { } left)
        {
            wanted = (int)Math.Clamp((left + settings.PageSize - 1) / settings.PageSize, 1, wanted);
        }

        if (_window.Count == 0 || _window.Peek().Cursor != next)
        {
            Drop();
            _window.Enqueue((next, fetch(next)));
        }

        while (_window.Count < wanted && connector.CursorAhead(next, _window.Count) is { } cursor)
        {
            _window.Enqueue((cursor, fetch(cursor)));
        }
    }

    /// <summary>Waits for every page asked for and not used, so none is left running unobserved after the read.</summary>
    public async Task AbandonAsync()
    {
        Drop();
        foreach (var page in _dropped)
        {
            try
            {
                await page;
            }
            catch (OperationCanceledException)
            {
                // The read was stopped: the page it no longer needs was cancelled with it.
            }
        }

        _dropped.Clear();
    }

    private void Drop()
    {
        while (_window.TryDequeue(out var stale))
        {
            _dropped.Add(stale.Page);
        }
    }
}
