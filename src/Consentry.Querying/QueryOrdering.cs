using System.Linq.Expressions;

namespace Consentry.Querying;

/// <summary>
/// Applies Codat's <c>orderBy</c> parameter: a property name, <c>-name</c> for descending, and (an extension)
/// several comma-separated keys such as <c>-created,name</c>. Only single values can be ordered by, including
/// those of nested objects (<c>customerRef.name</c>); collections and dynamic properties cannot.
/// </summary>
public static class QueryOrdering
{
    /// <summary>Codat's limit for a query, applied to orderBy as well.</summary>
    public const int MaxLength = QueryParser.MaxLength;

    /// <summary>How many comma-separated keys one orderBy may name; each is one more sort key for the database.</summary>
    public const int MaxKeys = 5;

    /// <summary>
    /// Orders <paramref name="source"/>, or returns it unchanged for a null or blank <paramref name="orderBy"/>.
    /// Failures start with "Error parsing orderBy - ".
    /// </summary>
    public static QueryResult<IQueryable<T>> Apply<T>(IQueryable<T> source, string? orderBy, QueryableProperties<T> properties)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(properties);
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return QueryResult.Success(source);
        }

        if (orderBy.Length > MaxLength)
        {
            return QueryResult.Failure<IQueryable<T>>(QueryErrors.OrderByTooLong(MaxLength));
        }

        var keys = orderBy.Split(',');
        if (keys.Length > MaxKeys)
        {
            return QueryResult.Failure<IQueryable<T>>(QueryErrors.OrderByTooManyKeys(MaxKeys));
        }

        var entity = Expression.Parameter(typeof(T), "x");
        var ordered = source.Expression;
        var isFirst = true;
        foreach (var rawKey in keys)
        {
            var key = rawKey.Trim();
            var descending = key.StartsWith('-');
            var path = descending ? key[1..].TrimStart() : key;
            if (!QuerySyntax.IsValidPath(path))
            {
                return QueryResult.Failure<IQueryable<T>>(QueryErrors.OrderByMalformed(
                    $"'{QueryErrors.Echo(rawKey.Trim())}' is not a property name or a '-' followed by one."));
            }

            var keyResult = ResolveKey(path, properties, entity);
            if (!keyResult.IsSuccess)
            {
                return QueryResult.Failure<IQueryable<T>>(keyResult.Error);
            }

            var method = (isFirst, descending) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            var selector = Expression.Lambda(keyResult.Value, entity);
            ordered = Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType], ordered, Expression.Quote(selector));
            isFirst = false;
        }

        return QueryResult.Success(source.Provider.CreateQuery<T>(ordered));
    }

    private static QueryResult<Expression> ResolveKey<T>(string path, QueryableProperties<T> root, Expression entity)
    {
        IQueryablePropertyMap properties = root;
        Expression instance = entity;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!properties.TryGetProperty(segments[i], out var property))
            {
                return QueryResult.Failure<Expression>(QueryErrors.OrderByUnknownProperty(path, root.EntityName));
            }

            instance = ExpressionBuilder.Inline(property.Selector, instance);
            var isLast = i == segments.Length - 1;
            switch (property)
            {
                case ScalarProperty when isLast:
                    return QueryResult.Success(instance);
                case NestedProperty nested when !isLast:
                    properties = nested.Properties;
                    break;
                case NestedProperty or CollectionProperty:
                    return QueryResult.Failure<Expression>(QueryErrors.OrderByNotSortable(path, root.EntityName));
                default:
                    return QueryResult.Failure<Expression>(QueryErrors.OrderByUnknownProperty(path, root.EntityName));
            }
        }

        // Unreachable: the last segment always returns above.
        return QueryResult.Failure<Expression>(QueryErrors.OrderByUnknownProperty(path, root.EntityName));
    }
}
