using System.Linq.Expressions;
using Consentry.Core.Persistence;

namespace Consentry.Infrastructure.Http;

/// <summary>A row's unique key, in SQL and in .NET: lets a searched list read its page's keys first, then the rows.</summary>
public sealed class RowKey<T>
{
    private readonly Expression<Func<T, Guid>> _key;

    public RowKey(Expression<Func<T, Guid>> key)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        Of = key.Compile();
        var countOver = Expression.Call(typeof(WindowFunctions).GetMethod(nameof(WindowFunctions.CountOver))!);
        var constructor = typeof(KeyAndTotal).GetConstructor([typeof(Guid), typeof(long)])!;
        WithTotal = Expression.Lambda<Func<T, KeyAndTotal>>(Expression.New(constructor, key.Body, countOver), key.Parameters);
    }

    /// <summary>The key of a row in .NET.</summary>
    public Func<T, Guid> Of { get; }

    /// <summary><c>x => (key, COUNT(*) OVER ())</c>: the projection of a searched page's first statement.</summary>
    public Expression<Func<T, KeyAndTotal>> WithTotal { get; }

    /// <summary><c>x => keys.Contains(key)</c>, the keys a parameter (one cached plan, whatever the keys).</summary>
    public Expression<Func<T, bool>> In(List<Guid> keys)
    {
        var parameter = Expression.Property(Expression.Constant(new KeyList(keys)), nameof(KeyList.Keys));
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)], parameter, _key.Body);
        return Expression.Lambda<Func<T, bool>>(contains, _key.Parameters);
    }

    private sealed record KeyList(List<Guid> Keys);
}

/// <summary>A row's key and the number of rows its statement matched.</summary>
public sealed record KeyAndTotal(Guid Key, long Total);
