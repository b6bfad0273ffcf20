namespace Consentry.Querying;

/// <summary>The kinds of value a query can compare with; each allows its own operators.</summary>
internal enum QueryValueType
{
    String,
    Number,
    Date,
    Boolean,
    Enum,
    Guid,
}

internal static class QueryValueTypes
{
    private static readonly QueryOperator[] EqualityOperators = [QueryOperator.Equal, QueryOperator.NotEqual];

    private static readonly QueryOperator[] StringOperators = [QueryOperator.Equal, QueryOperator.NotEqual, QueryOperator.Contains];

    private static readonly QueryOperator[] OrderedOperators =
    [
        QueryOperator.Equal, QueryOperator.NotEqual,
        QueryOperator.GreaterThan, QueryOperator.LessThan,
        QueryOperator.GreaterThanOrEqual, QueryOperator.LessThanOrEqual,
    ];

    /// <summary>Codat allows <c>~</c> on strings only and ordering comparisons on numbers and dates only.</summary>
    public static IReadOnlyList<QueryOperator> SupportedOperators(this QueryValueType type) => type switch
    {
        QueryValueType.String => StringOperators,
        QueryValueType.Number or QueryValueType.Date => OrderedOperators,
        _ => EqualityOperators,
    };

    public static bool Supports(this QueryValueType type, QueryOperator op) => type.SupportedOperators().Contains(op);

    /// <summary>The kind of value a CLR property type holds, or null when queries cannot compare with it.</summary>
    public static QueryValueType? Classify(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return QueryValueType.Enum;
        }

        return Type.GetTypeCode(underlying) switch
        {
            TypeCode.String => QueryValueType.String,
            TypeCode.Boolean => QueryValueType.Boolean,
            TypeCode.DateTime => QueryValueType.Date,
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal
                => QueryValueType.Number,
            _ when underlying == typeof(DateTimeOffset) || underlying == typeof(DateOnly) => QueryValueType.Date,
            _ when underlying == typeof(Guid) => QueryValueType.Guid,
            _ => null,
        };
    }
}
