using System.Globalization;
using System.Text.Json;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.TrueLayer;

/// <summary>The Data API calls of one read: the accounts and cards the grant covers, their balances and transactions.</summary>
internal sealed class Reader(PlatformHttp http, string api, DataRequest request, CancellationToken ct)
{
    private string Scopes => request.Account.GetValueOrDefault(TrueLayerConnector.ScopesParameter) ?? "accounts cards";

    private bool Granted(string scope) => Scopes.Split(' ').Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// <c>/accounts</c>, and <c>/cards</c> only when the <c>cards</c> scope was granted; a bank without a cards API
    /// (501 <c>endpoint_not_supported</c>) has none.
    /// </summary>
    public async Task<(List<Source>? Sources, DataPage? Problem)> SourcesAsync()
    {
        var sources = new List<Source>();
        foreach (var (path, card) in new[] { ("accounts", false), ("cards", true) })
        {
            if (!Granted(path))
            {
                continue;
            }

            var answer = await http.SendAsync(PlatformHttp.Bearer(HttpMethod.Get, $"{api}/{path}", request.AccessToken), ct);
            if (!answer.Succeeded)
            {
                if (card && answer.Problem is DataPage.Failed f && f.Detail.StartsWith("The platform answered 501", StringComparison.Ordinal))
                {
                    continue;
                }

                return (null, answer.Problem);
            }

            using var document = answer.Document!;
            foreach (var item in TrueLayerConnector.Results(document.RootElement))
            {
                if (TrueLayerConnector.Text(item, "account_id") is { Length: > 0 } id)
                {
                    sources.Add(new Source(id, card, item.Clone()));
                }
            }
        }

        return (sources, null);
    }

    public async Task<(List<MappedRecord>? Records, DataPage? Problem)> AccountsAsync(IReadOnlyList<Source> sources)
    {
        var records = new List<MappedRecord>();
        foreach (var source in sources)
        {
            var (balance, problem) = await BalanceAsync(source);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (TrueLayerMapping.Account(source.Resource, balance, source.Card, request.ReadAt) is { } mapped)
            {
                records.Add(mapped);
            }
        }

        return (records, null);
    }

    public async Task<(List<MappedRecord>? Records, DataPage? Problem)> BalancesAsync(IReadOnlyList<Source> sources)
    {
        var records = new List<MappedRecord>();
        foreach (var source in sources)
        {
            var (balance, problem) = await BalanceAsync(source);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (balance is { } b && TrueLayerMapping.Balance(source.Id, b, source.Card, request.ReadAt) is { } mapped)
            {
                records.Add(mapped);
            }
        }

        return (records, null);
    }

    /// <summary>
    /// Settled transactions from 12 months back (an incremental read: from a week before the watermark) to now. A bank that
    /// answers <c>sca_exceeded</c> serves only recent history outside its window after authentication: the last 89 days
    /// are read instead.
    /// </summary>
    public async Task<(List<MappedRecord>? Records, DataPage? Problem)> SettledAsync(Source source)
    {
        var to = request.ReadAt;
        var from = to - TrueLayerConnector.History;
        if (request.ModifiedSince is { } since && since - TrueLayerConnector.Overlap > from)
        {
            from = since - TrueLayerConnector.Overlap;
        }

        var (records, problem) = await TransactionsAsync(source, from, to);
        if (problem is DataPage.Forbidden { Error: "sca_exceeded" } && from < to - TrueLayerConnector.RecentHistory)
        {
            (records, problem) = await TransactionsAsync(source, to - TrueLayerConnector.RecentHistory, to);
        }

        return (records, problem);
    }

    public Task<(List<MappedRecord>? Records, DataPage? Problem)> PendingAsync(Source source) =>
        ListAsync($"{api}/{source.Path}/{Uri.EscapeDataString(source.Id)}/transactions/pending", item => TrueLayerMapping.Transaction(source.Id, item, pending: true, request.ReadAt));

    private Task<(List<MappedRecord>? Records, DataPage? Problem)> TransactionsAsync(Source source, DateTime from, DateTime to) =>
        ListAsync($"{api}/{source.Path}/{Uri.EscapeDataString(source.Id)}/transactions?from={Stamp(from)}&to={Stamp(to)}",
            item => TrueLayerMapping.Transaction(source.Id, item, pending: false, request.ReadAt));

    private async Task<(JsonElement? Balance, DataPage? Problem)> BalanceAsync(Source source)
    {
        if (!Granted("balance"))
        {
            return (null, null);
        }

        var answer = await http.SendAsync(PlatformHttp.Bearer(HttpMethod.Get, $"{api}/{source.Path}/{Uri.EscapeDataString(source.Id)}/balance", request.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return (null, answer.Problem);
        }

        using var document = answer.Document!;
        var first = TrueLayerConnector.Results(document.RootElement).FirstOrDefault();
        return (first.ValueKind == JsonValueKind.Object ? first.Clone() : null, null);
    }

    private async Task<(List<MappedRecord>? Records, DataPage? Problem)> ListAsync(string url, Func<JsonElement, MappedRecord?> map)
    {
        var answer = await http.SendAsync(PlatformHttp.Bearer(HttpMethod.Get, url, request.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return (null, answer.Problem);
        }

        using var document = answer.Document!;
        var records = new List<MappedRecord>();
        foreach (var item in TrueLayerConnector.Results(document.RootElement))
        {
            if (map(item) is { } mapped)
            {
                records.Add(mapped);
            }
        }

        return (records, null);
    }

    private static string Stamp(DateTime at) =>
        Uri.EscapeDataString(DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
