namespace Consentry.Querying;

/// <summary>Applies Codat's <c>query</c> parameter to an <see cref="IQueryable{T}"/>.</summary>
public static class QueryFilter
{
    /// <summary>
    /// Filters <paramref name="source"/> by <paramref name="query"/>, or returns it unchanged for a null or
    /// blank query. Failures start with "Error parsing query - ".
    /// </summary>
    public static QueryResult<IQueryable<T>> Apply<T>(IQueryable<T> source, string? query, QueryableProperties<T> properties)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(properties);
        var filter = properties.TryBuildFilter(query);
        if (!filter.IsSuccess)
        {
            return QueryResult.Failure<IQueryable<T>>(filter.Error);
        }

        return QueryResult.Success(filter.Value is null ? source : source.Where(filter.Value));
    }
}
