using Consentry.Connectors;
using Consentry.Connectors.Generic;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Consentry.Features.Sync;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// The window of pages a read asks for ahead of the one it stores: bounded by the setting and by the pages the platform
/// said are left, in cursor order, dropped (never used) when a page has to be asked again.
/// </summary>
public sealed class PagesAheadTests
{
    private readonly List<string?> _asked = [];
    private readonly Dictionary<string, TaskCompletionSource<DataPage>> _pages = [];

    private Task<DataPage> Fetch(string? cursor)
    {
        _asked.Add(cursor);
        var page = new TaskCompletionSource<DataPage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pages[cursor ?? ""] = page;
        return page.Task;
    }

    private static SyncOptions Settings(int ahead = 4) => new() { PageSize = 10, PagesAhead = ahead };

    private static readonly IPlatformConnector Numbered = new CatalogueConnector(null!, null!);

    [Fact]
    public void NumberedPages_AreAskedUpToTheWindow_NeverPastThePagesLeft()
    {
        var ahead = new PagesAhead(Fetch, Numbered, Settings());

        ahead.Fill("2", recordsLeft: 25);
        Assert.Equal(["2", "3", "4"], _asked);

        Assert.Same(_pages["2"].Task, ahead.TakeAsync("2"));
        ahead.Fill("3", recordsLeft: 1000);
        Assert.Equal(["2", "3", "4", "5", "6"], _asked);
        Assert.Equal(4, ahead.Count);

        Assert.Same(_pages["3"].Task, ahead.TakeAsync("3"));
        Assert.Same(_pages["4"].Task, ahead.TakeAsync("4"));
        Assert.Equal(["2", "3", "4", "5", "6"], _asked);
    }

    [Fact]
    public void AWindowOfOne_IsThePreviousBehaviour_OnePageAhead()
    {
        var ahead = new PagesAhead(Fetch, Numbered, Settings(ahead: 1));

        ahead.Fill("2", recordsLeft: null);
        Assert.Equal(["2"], _asked);
    }

    [Fact]
    public void APageAskedAgain_DropsTheWindow_AndLaterPagesAreAskedAfresh()
    {
        var ahead = new PagesAhead(Fetch, Numbered, Settings());
        ahead.Fill("2", recordsLeft: null);
        var first = ahead.TakeAsync("2");

        // Page 2 was rate limited (or its token refreshed): it is asked again, and pages 3-5 asked with it are not used.
        var again = ahead.TakeAsync("2");
        Assert.NotSame(first, again);
        Assert.Equal(0, ahead.Count);
        ahead.Fill("3", recordsLeft: null);
        Assert.Equal(["2", "3", "4", "5", "2", "3", "4", "5", "6"], _asked);
    }

    [Fact]
    public void CursorsOnlyFromAnswers_OnePageAhead()
    {
        var ahead = new PagesAhead(Fetch, new CursorOnly(), Settings());

        ahead.Fill("opaque-cursor", recordsLeft: 1000);
        Assert.Equal(["opaque-cursor"], _asked);
    }

    [Fact]
    public void TakeReady_TakesOnlyAPageThatHasArrivedAsData_FirstInTheWindow()
    {
        var ahead = new PagesAhead(Fetch, Numbered, Settings());
        ahead.Fill("2", recordsLeft: null);
        _pages["3"].SetResult(new DataPage.Ok([], 0, "4"));

        // Page 2 has not arrived, and page 3 is not next: nothing is taken, nothing waited for, the window unchanged.
        Assert.Null(ahead.TakeReady("2"));
        Assert.Null(ahead.TakeReady("3"));
        Assert.Equal(4, ahead.Count);

        var two = new DataPage.Ok([], 0, "3");
        _pages["2"].SetResult(two);
        Assert.Same(two, ahead.TakeReady("2"));
        Assert.Equal(3, ahead.Count);

        // An answer that is not data (rate limited here) stays first, for the read's own handling.
        Assert.NotNull(ahead.TakeReady("3"));
        _pages["4"].SetResult(new DataPage.RateLimited(TimeSpan.FromSeconds(1)));
        Assert.Null(ahead.TakeReady("4"));
        Assert.Same(_pages["4"].Task, ahead.TakeAsync("4"));
        Assert.Equal(["2", "3", "4", "5"], _asked);
    }

    [Fact]
    public async Task Abandoning_WaitsForEveryUnusedPage_EvenCancelledOnes()
    {
        var ahead = new PagesAhead(Fetch, Numbered, Settings());
        ahead.Fill("2", recordsLeft: null);
        var abandoned = ahead.AbandonAsync();
        Assert.False(abandoned.IsCompleted);

        _pages["2"].SetCanceled();
        _pages["3"].SetResult(new DataPage.Ok([], 0, null));
        _pages["4"].SetResult(new DataPage.Ok([], 0, null));
        Assert.False(abandoned.IsCompleted);
        _pages["5"].SetCanceled();
        await abandoned;
        Assert.Equal(0, ahead.Count);
    }

    private sealed class CursorOnly : IPlatformConnector
    {
        public IReadOnlyCollection<string> PlatformKeys => [];

        public Task<AccountDiscovery> DiscoverAccountsAsync(PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct) => throw new NotSupportedException();

        public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => [];

        public Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct) => throw new NotSupportedException();
    }
}
