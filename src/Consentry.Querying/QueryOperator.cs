namespace Consentry.Querying;

/// <summary>The comparison operators of Codat's query language.</summary>
public enum QueryOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>~</c>: case-insensitive substring match, strings only.</summary>
    Contains,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,
}

public static class QueryOperatorExtensions
{
    /// <summary>The operator as written in a query, e.g. <c>!=</c>.</summary>
    public static string ToSymbol(this QueryOperator op) => op switch
    {
        QueryOperator.Equal => "=",
        QueryOperator.NotEqual => "!=",
        QueryOperator.Contains => "~",
        QueryOperator.GreaterThan => ">",
        QueryOperator.LessThan => "<",
        QueryOperator.GreaterThanOrEqual => ">=",
        QueryOperator.LessThanOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown query operator."),
    };
}
