using System.Linq.Expressions;
using Consentry.Core.Persistence;

namespace Consentry.Infrastructure.Http;

/// <summary>A row's unique key, in SQL and in .NET: lets a searched list read its page's keys first, then the rows.</summary>
public sealed class RowKey<T>
{
    private static readonly Expression CountOver = Expression.Call(typeof(WindowFunctions).GetMethod(nameof(WindowFunctions.CountOver))!);

    private readonly Expression<Func<T, Guid>> _key;

    public RowKey(Expression<Func<T, Guid>> key)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        Of = key.Compile();
        var constructor = typeof(KeyAndTotal).GetConstructor([typeof(Guid), typeof(long)])!;
        WithTotal = Expression.Lambda<Func<T, KeyAndTotal>>(Expression.New(constructor, key.Body, CountOver), key.Parameters);
    }

    /// <summary>The key of a row in .NET.</summary>
    public Func<T, Guid> Of { get; }

    /// <summary><c>x => (key, COUNT(*) OVER ())</c>: the projection of a searched page's first statement.</summary>
    public Expression<Func<T, KeyAndTotal>> WithTotal { get; }

    /// <summary>
    /// Count the matches in a subquery, and order and limit them outside it (<see cref="CountedPage"/>), instead of
    /// one flat statement. For PostgreSQL: it costs a flat <c>ORDER BY … LIMIT</c> as if it could stop early through
    /// <c>COUNT(*) OVER ()</c> and walks the client's whole Created index instead of the search index's matches.
    /// </summary>
    public bool CountInSubquery { get; init; }

    /// <summary><c>x => keys.Contains(key)</c>, the keys a parameter (one cached plan, whatever the keys).</summary>
    public Expression<Func<T, bool>> In(List<Guid> keys)
    {
        var parameter = Expression.Property(Expression.Constant(new KeyList(keys)), nameof(KeyList.Keys));
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)], parameter, _key.Body);
        return Expression.Lambda<Func<T, bool>>(contains, _key.Parameters);
    }

    /// <summary>
    /// The page's keys with the total: <c>SELECT s.key, COUNT(*) OVER () FROM (SELECT key, sort columns FROM … WHERE
    /// filter LIMIT 2147483647) s ORDER BY … LIMIT … OFFSET …</c> (EF Core puts the window outside; it still counts
    /// every row of the subquery, before the outer LIMIT). The subquery has no order, so no plan can hope to stop
    /// early through the window: the planner reads the matches the cheapest way (the search index) and sorts them
    /// once, above it. The orderings of <paramref name="query"/> are re-applied to the subquery's rows.
    /// </summary>
    public IQueryable<KeyAndTotal> CountedPage(Shaped<T> query, int skip, int take)
    {
        ArgumentNullException.ThrowIfNull(query);
        var orderings = new Stack<MethodCallExpression>();
        for (var expression = query.Ordered.Expression; expression != query.Filtered.Expression;)
        {
            if (expression is not MethodCallExpression { Method.Name: "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" } call
                || call.Method.DeclaringType != typeof(Queryable))
            {
                throw new InvalidOperationException("The ordered query must be the filtered one with orderings only.");
            }

            orderings.Push(call);
            expression = call.Arguments[0];
        }

        // Take(int.MaxValue): the orderings after it make EF Core push the filter down into a subquery (the generic
        // plan, with the limit a parameter, was checked too: docs/benchmarks.md, search "Round 4").
        var row = Expression.Parameter(typeof(T), "c");
        var counted = query.Filtered
            .Select(Expression.Lambda<Func<T, Counted>>(
                Expression.MemberInit(
                    Expression.New(typeof(Counted)),
                    Expression.Bind(typeof(Counted).GetProperty(nameof(Counted.Row))!, row),
                    Expression.Bind(typeof(Counted).GetProperty(nameof(Counted.Total))!, CountOver)),
                row))
            .Take(int.MaxValue);

        var outer = Expression.Parameter(typeof(Counted), "s");
        var ofRow = Expression.Property(outer, nameof(Counted.Row));
        var ordered = counted.Expression;
        foreach (var call in orderings)
        {
            var selector = (LambdaExpression)((UnaryExpression)call.Arguments[1]).Operand;
            var body = new Replace(selector.Parameters[0], ofRow).Visit(selector.Body);
            ordered = Expression.Call(
                typeof(Queryable), call.Method.Name, [typeof(Counted), body.Type], ordered, Expression.Quote(Expression.Lambda(body, outer)));
        }

        var constructor = typeof(KeyAndTotal).GetConstructor([typeof(Guid), typeof(long)])!;
        var keyOfRow = new Replace(_key.Parameters[0], ofRow).Visit(_key.Body);
        var project = Expression.Lambda<Func<Counted, KeyAndTotal>>(
            Expression.New(constructor, keyOfRow, Expression.Property(outer, nameof(Counted.Total))), outer);
        return counted.Provider.CreateQuery<Counted>(ordered).Skip(skip).Take(take).Select(project);
    }

    private sealed record KeyList(List<Guid> Keys);

    /// <summary>A row of the counting subquery: the row and the number of rows the subquery matched.</summary>
    private sealed class Counted
    {
        public T Row { get; init; } = default!;

        public long Total { get; init; }
    }

    private sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : node;
    }
}

/// <summary>A row's key and the number of rows its statement matched.</summary>
public sealed record KeyAndTotal(Guid Key, long Total);
