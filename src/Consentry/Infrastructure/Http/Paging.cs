using System.Globalization;
using System.Text.Json.Serialization;
using Consentry.Core.Errors;
using Consentry.Querying;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Infrastructure.Http;

/// <summary>
/// Codat's list parameters, bound with <c>[AsParameters]</c>. Init properties, not a primary constructor: the Request
/// Delegate Generator emits <c>typeof(string?)</c> (CS8639) for a positional record's nullable reference parameters.
/// </summary>
public sealed record PageQuery
{
    public int? Page { get; init; }

    public int? PageSize { get; init; }

    public string? Query { get; init; }

    public string? OrderBy { get; init; }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 5000;

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;
}

/// <summary>Codat's paged envelope (<c>PagingInfo</c> plus <c>results</c>).</summary>
public sealed record Paged<T>(
    IReadOnlyList<T> Results,
    int PageNumber,
    int PageSize,
    int TotalResults,
    [property: JsonPropertyName("_links")] PageLinks Links)
{
    /// <summary>The same page with its results mapped.</summary>
    public Paged<TOut> Select<TOut>(Func<T, TOut> map) => new([.. Results.Select(map)], PageNumber, PageSize, TotalResults, Links);
}

public sealed record PageLinks(HalRef Self, HalRef Current, HalRef? Next, HalRef? Previous);

public sealed record HalRef(string Href);

/// <summary>A filtered query and the same query in page order.</summary>
public sealed record Shaped<T>(IQueryable<T> Filtered, IQueryable<T> Ordered);

/// <summary>The non-paged list envelope Codat uses for webhooks and API keys.</summary>
public sealed record ResultList<T>(IReadOnlyList<T> Results);

/// <summary>Applies Codat's page, pageSize, query and orderBy to a query, in the database, and builds the envelope.</summary>
public static class Paging
{
    public static Error? Validate(PageQuery page)
    {
        if (page.PageNumber < 1)
        {
            return Error.Validation("page must be 1 or greater.");
        }

        return page.Size is < 1 or > PageQuery.MaxPageSize
            ? Error.Validation($"pageSize must be between 1 and {PageQuery.MaxPageSize}.")
            : null;
    }

    /// <summary>Filters and orders <paramref name="source"/>; errors are Codat's "Error parsing query - …".</summary>
    /// <param name="index">Narrows <c>~</c> conditions with a database index (see <see cref="SubstringIndex{T}"/>).</param>
    public static Result<Shaped<T>> Shape<T>(
        IQueryable<T> source, PageQuery page, QueryableProperties<T> properties,
        Func<IQueryable<T>, IOrderedQueryable<T>> defaultOrder, SubstringIndex<T>? index = null)
    {
        if (Validate(page) is { } invalid)
        {
            return invalid;
        }

        var filter = properties.TryBuildFilter(page.Query, index);
        if (!filter.IsSuccess)
        {
            return Error.MalformedQuery(filter.Error);
        }

        var filtered = filter.Value is { } predicate ? source.Where(predicate) : source;
        if (string.IsNullOrWhiteSpace(page.OrderBy))
        {
            return new Shaped<T>(filtered, defaultOrder(filtered));
        }

        var ordered = QueryOrdering.Apply(filtered, page.OrderBy, properties);
        return ordered.IsSuccess ? new Shaped<T>(filtered, ordered.Value) : Error.MalformedQuery(ordered.Error);
    }

    /// <param name="key">
    /// With <paramref name="index"/>: when the index serves the query, the page is read by <c>IndexedPageAsync</c> (its ids and the total first).
    /// </param>
    public static async Task<Result<Paged<TOut>>> ToPageAsync<T, TOut>(
        IQueryable<T> source, PageQuery page, QueryableProperties<T> properties,
        Func<IQueryable<T>, IOrderedQueryable<T>> defaultOrder, Func<T, TOut> map, HttpRequest request,
        CancellationToken cancellationToken, SubstringIndex<T>? index = null, RowKey<T>? key = null)
    {
        var searched = false;
        var watched = index is null ? null : (SubstringIndex<T>)((property, term) =>
        {
            var candidates = index(property, term);
            searched |= candidates is not null;
            return candidates;
        });
        var shaped = Shape(source, page, properties, defaultOrder, watched);
        if (shaped.Value is not { } query)
        {
            return shaped.Error!;
        }

        var skipped = Offset(page);
        if (searched && key is not null)
        {
            var (keyed, matched) = await IndexedPageAsync(source, query, key, skipped, page.Size, cancellationToken);
            return Envelope(keyed.ConvertAll(r => map(r)), page, matched, request);
        }

        var rows = await query.Ordered.Skip(skipped).Take(page.Size).ToListAsync(cancellationToken);
        var total = TotalOf(rows, page, skipped) ?? await query.Filtered.CountAsync(cancellationToken);
        return Envelope(rows.ConvertAll(r => map(r)), page, total, request);
    }

    /// <summary>
    /// A list without <c>query</c> or <c>orderBy</c> (the usual request) read by the caller's compiled queries: the
    /// page in its default order (<paramref name="read"/>: skip, take) and, when the page does not tell it, the total.
    /// The same answer as <see cref="ToPageAsync"/>, without building and looking up a query per request.
    /// </summary>
    public static async Task<Paged<TOut>> PlainPageAsync<T, TOut>(
        PageQuery page, Func<int, int, Task<List<T>>> read, Func<Task<int>> count, Func<T, TOut> map, HttpRequest request)
    {
        var skipped = Offset(page);
        var rows = await read(skipped, page.Size);
        var total = TotalOf(rows, page, skipped) ?? await count();
        return Envelope(rows.ConvertAll(r => map(r)), page, total, request);
    }

    /// <summary>
    /// The rows before <paramref name="page"/>. A page past any list the database can hold (page × pageSize beyond
    /// <see cref="int.MaxValue"/>) starts there, so it is an empty page with the list's total, not an overflow into a
    /// negative OFFSET (PostgreSQL refuses one; SQLite reads it as 0, the first page).
    /// </summary>
    public static int Offset(PageQuery page) => (int)Math.Clamp((long)(page.PageNumber - 1) * page.Size, 0, int.MaxValue);

    /// <summary>True when <paramref name="page"/> has neither a query nor an order and is valid: <see cref="PlainPageAsync"/> answers it.</summary>
    public static bool IsPlain(PageQuery page) =>
        string.IsNullOrWhiteSpace(page.Query) && string.IsNullOrWhiteSpace(page.OrderBy) && Validate(page) is null;

    // A page that is neither empty nor full is the last one, so it tells the total: no COUNT round trip (most
    // companies have a few connections, so most lists are one short page).
    private static int? TotalOf<T>(List<T> rows, PageQuery page, int skipped) =>
        rows.Count > 0 && rows.Count < page.Size ? skipped + rows.Count : null;

    /// <summary>
    /// A page whose <c>~</c> conditions a search index narrows, in two statements instead of a COUNT and a page that
    /// each evaluate the search: the first finds the matches once and returns the page's keys, in order, with the exact
    /// total beside them (<c>COUNT(*) OVER ()</c>, before the LIMIT); it reads only the matches' key and sort columns.
    /// The second reads those rows (and what <paramref name="source"/> includes) by key. Only for searched lists: on a
    /// list an index orders and a LIMIT stops early, the window would read every row.
    /// </summary>
    private static async Task<(List<T> Rows, int Total)> IndexedPageAsync<T>(
        IQueryable<T> source, Shaped<T> query, RowKey<T> key, int skipped, int size, CancellationToken cancellationToken)
    {
        var head = await (key.CountInSubquery
            ? key.CountedPage(query, skipped, size)
            : query.Ordered.Select(key.WithTotal).Skip(skipped).Take(size)).ToListAsync(cancellationToken);
        var total = head.Count > 0 ? checked((int)head[0].Total)
            : skipped == 0 ? 0
            : await query.Filtered.CountAsync(cancellationToken); // past the last page: the window saw no row
        if (head.Count == 0)
        {
            return ([], total);
        }

        var keys = head.ConvertAll(h => h.Key);
        var rows = (await source.Where(key.In(keys)).ToListAsync(cancellationToken)).ToDictionary(key.Of);

        // A row deleted between the two statements is left out, as a page read a moment later would.
        return ([.. keys.Where(rows.ContainsKey).Select(k => rows[k])], total);
    }

    /// <summary>The same for lists held in memory (the integrations catalogue).</summary>
    public static Result<Paged<TOut>> ToPage<T, TOut>(
        IEnumerable<T> source, PageQuery page, QueryableProperties<T> properties,
        Func<IQueryable<T>, IOrderedQueryable<T>> defaultOrder, Func<T, TOut> map, HttpRequest request)
    {
        var shaped = Shape(source.AsQueryable(), page, properties, defaultOrder);
        if (shaped.Value is not { } query)
        {
            return shaped.Error!;
        }

        var all = query.Ordered.ToList();
        var rows = all.Skip(Offset(page)).Take(page.Size).Select(map).ToList();
        return Envelope(rows, page, all.Count, request);
    }

    private static Paged<TOut> Envelope<TOut>(IReadOnlyList<TOut> rows, PageQuery page, int total, HttpRequest request)
    {
        var path = request.PathBase.Add(request.Path).Value ?? "/";
        var links = new PageLinks(
            new HalRef(path),
            new HalRef(Link(path, request, page, page.PageNumber)),
            (long)page.PageNumber * page.Size < total ? new HalRef(Link(path, request, page, page.PageNumber + 1)) : null,
            page.PageNumber > 1 ? new HalRef(Link(path, request, page, page.PageNumber - 1)) : null);
        return new Paged<TOut>(rows, page.PageNumber, page.Size, total, links);
    }

    /// <summary>The same request's query string (query, orderBy, tags…) with the page and pageSize of the target page.</summary>
    private static string Link(string path, HttpRequest request, PageQuery page, int number)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("page", number.ToString(CultureInfo.InvariantCulture)),
            new("pageSize", page.Size.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (key, values) in request.Query)
        {
            if (!key.Equals("page", StringComparison.OrdinalIgnoreCase) && !key.Equals("pageSize", StringComparison.OrdinalIgnoreCase))
            {
                query.AddRange(values.Select(v => new KeyValuePair<string, string?>(key, v)));
            }
        }

        return QueryHelpers.AddQueryString(path, query);
    }
}
