using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Consentry.Querying;

/// <summary>
/// The expression-tree building blocks. Everything here sticks to shapes EF Core translates on both SQLite
/// and PostgreSQL, and values always enter as parameters, never as SQL text.
/// </summary>
internal static class ExpressionBuilder
{
    private static readonly MethodInfo ToLowerMethod = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo ContainsMethod = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo AnyMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Any) && m.GetParameters().Length == 2);

    /// <summary>The body of <paramref name="lambda"/> with its single parameter replaced by <paramref name="instance"/>.</summary>
    public static Expression Inline(LambdaExpression lambda, Expression instance)
    {
        var body = new ParameterReplacer(lambda.Parameters[0], instance).Visit(lambda.Body);

        // The compiler may wrap c => c.Lines in a cast to IEnumerable<Line>; the plain member is what EF knows.
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } convert
            && !convert.Operand.Type.IsValueType
            && convert.Type.IsAssignableFrom(convert.Operand.Type))
        {
            body = convert.Operand;
        }

        return body;
    }

    /// <summary>
    /// A value as a field read from a closure-like box. EF Core turns such reads into SQL parameters (as it does
    /// for captured variables), where a plain constant would be inlined into the SQL and defeat plan caching.
    /// </summary>
    public static Expression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<object>.Value));
    }

    /// <summary>
    /// <c>member op value</c>, where <paramref name="value"/> already has <paramref name="member"/>'s (underlying) type.
    /// A null member never matches: <c>!=</c> and <c>~</c> get an explicit not-null guard, because C# (and so
    /// EF Core, which mimics it) says <c>null != 5</c> is true and <c>null.ToLower()</c> throws; the other
    /// operators are already false for null.
    /// </summary>
    public static Expression Compare(Expression member, QueryOperator op, object value)
    {
        var operand = Parameter(value, member.Type);
        return op switch
        {
            QueryOperator.Equal => Expression.Equal(member, operand),
            QueryOperator.NotEqual => NotNullAnd(member, Expression.NotEqual(member, operand)),
            QueryOperator.GreaterThan => Expression.GreaterThan(member, operand),
            QueryOperator.LessThan => Expression.LessThan(member, operand),
            QueryOperator.GreaterThanOrEqual => Expression.GreaterThanOrEqual(member, operand),
            QueryOperator.LessThanOrEqual => Expression.LessThanOrEqual(member, operand),

            // Lower-casing both sides in SQL is the case-insensitive match EF translates on every provider
            // (LOWER + instr/strpos or LIKE); it also folds the two sides with the same rules.
            QueryOperator.Contains => NotNullAnd(
                member,
                Expression.Call(
                    Expression.Call(member, ToLowerMethod),
                    ContainsMethod,
                    Expression.Call(operand, ToLowerMethod))),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown query operator."),
        };
    }

    /// <summary><c>value != null &amp;&amp; condition</c>, or just the condition when the value cannot be null.</summary>
    public static Expression NotNullAnd(Expression value, Expression condition) =>
        value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? condition
            : Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, value.Type)), condition);

    /// <summary><c>Enumerable.Any(collection, predicate)</c>.</summary>
    public static Expression Any(Expression collection, LambdaExpression predicate) =>
        Expression.Call(AnyMethod.MakeGenericMethod(predicate.Parameters[0].Type), collection, predicate);

    /// <summary>
    /// Joins conditions as a balanced tree rather than a chain: a 400-term <c>||</c> is then 9 levels deep
    /// instead of 400, which keeps EF Core's recursive visitors and SQLite's expression depth limit happy.
    /// </summary>
    public static Expression Combine(IReadOnlyList<Expression> conditions, Func<Expression, Expression, Expression> join) =>
        Combine(conditions, 0, conditions.Count, join);

    private static Expression Combine(IReadOnlyList<Expression> conditions, int start, int count, Func<Expression, Expression, Expression> join)
    {
        if (count == 1)
        {
            return conditions[start];
        }

        var half = count / 2;
        return join(Combine(conditions, start, half, join), Combine(conditions, start + half, count - half, join));
    }

    private sealed class ParameterReplacer(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
