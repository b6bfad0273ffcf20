namespace Consentry.Querying;

/// <summary>The lexical rules shared by the parser and by <see cref="QueryNode.ToString"/>.</summary>
internal static class QuerySyntax
{
    public const string And = "&&";
    public const string Or = "||";
    public const char OpenGroup = '{';
    public const char CloseGroup = '}';
    public const char Quote = '"';
    public const char Escape = '\\';

    /// <summary>Longest first, so that <c>!=</c>, <c>&gt;=</c> and <c>&lt;=</c> win over their one-character prefixes.</summary>
    private static readonly (string Symbol, QueryOperator Operator)[] Operators =
    [
        ("!=", QueryOperator.NotEqual),
        (">=", QueryOperator.GreaterThanOrEqual),
        ("<=", QueryOperator.LessThanOrEqual),
        ("=", QueryOperator.Equal),
        ("~", QueryOperator.Contains),
        (">", QueryOperator.GreaterThan),
        ("<", QueryOperator.LessThan),
    ];

    /// <summary>
    /// Property names are dotted paths of segments made of letters, digits, <c>_</c> and <c>-</c> (the last one
    /// because tag keys may contain it).
    /// </summary>
    public static bool IsPathChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';

    public static bool IsValidPath(string path)
    {
        if (path.Length == 0)
        {
            return false;
        }

        var segmentLength = 0;
        foreach (var c in path)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return false;
                }

                segmentLength = 0;
            }
            else if (IsPathChar(c))
            {
                segmentLength++;
            }
            else
            {
                return false;
            }
        }

        return segmentLength > 0;
    }

    public static bool TryReadOperator(string text, int index, out QueryOperator op, out int length)
    {
        foreach (var (symbol, candidate) in Operators)
        {
            if (string.CompareOrdinal(text, index, symbol, 0, symbol.Length) == 0)
            {
                op = candidate;
                length = symbol.Length;
                return true;
            }
        }

        op = default;
        length = 0;
        return false;
    }

    public static bool StartsWithOperator(string text, int index) => TryReadOperator(text, index, out _, out _);

    /// <summary>Where a bare value starting at <paramref name="start"/> ends: at <c>&amp;&amp;</c>, <c>||</c> or <c>}</c>; -1 if it runs to the end.</summary>
    public static int IndexOfValueTerminator(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (IsValueTerminator(text, i))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool IsValueTerminator(string text, int index) =>
        text[index] == CloseGroup
        || string.CompareOrdinal(text, index, And, 0, 2) == 0
        || string.CompareOrdinal(text, index, Or, 0, 2) == 0;
}
