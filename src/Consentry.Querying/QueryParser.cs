using System.Text;

namespace Consentry.Querying;

/// <summary>
/// Parses Codat's query language into a <see cref="QueryNode"/> tree:
/// <code>
/// query      := or
/// or         := and ( "||" and )*
/// and        := primary ( "&amp;&amp;" primary )*
/// primary    := "{" or "}" | comparison
/// comparison := path op value
/// path       := segment ( "." segment )*          segment: letters, digits, '_' and '-'
/// op         := "=" | "!=" | "~" | "&gt;" | "&lt;" | "&gt;=" | "&lt;="
/// value      := '"' chars '"'                      \" and \\ are the only escapes
///             | bare text up to "&amp;&amp;", "||", "}" or the end, trimmed
/// </code>
/// </summary>
/// <remarks>
/// Hand-written recursive descent: the grammar is tiny, bare values make tokenising context-sensitive (a value
/// may contain '=', '{' or spaces), and no parser package is wanted in a BCL-only library. It never throws for
/// any input; every failure is a result whose message starts with "Error parsing query - ".
/// </remarks>
public static class QueryParser
{
    /// <summary>Codat's limit on the length of a query.</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// How deeply <c>{ }</c> groups may nest. Codat names no limit; this one keeps recursion here, and the
    /// expression trees and SQL built from the result, far from any stack or database depth limit.
    /// </summary>
    public const int MaxNestingDepth = 32;

    /// <summary>
    /// How many comparisons one query may hold. Each becomes a predicate (and, on cached records, a JSON lookup) in
    /// the SQL, so this bounds the work a single request can ask of the database; real filters use a handful.
    /// </summary>
    public const int MaxConditions = 200;

    /// <summary>
    /// Parses <paramref name="query"/>. A null, empty or whitespace-only query is an error here: callers that
    /// treat a missing query as "no filter" should check for it first (as
    /// <see cref="QueryableProperties{T}.TryBuildFilter"/> does).
    /// </summary>
    public static QueryResult<QueryNode> Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return QueryResult.Failure<QueryNode>(QueryErrors.Malformed("The query is empty."));
        }

        if (query.Length > MaxLength)
        {
            return QueryResult.Failure<QueryNode>(QueryErrors.TooLong(MaxLength));
        }

        var invalid = IndexOfInvalidCharacter(query);
        if (invalid >= 0)
        {
            return QueryResult.Failure<QueryNode>(QueryErrors.InvalidCharacter(query[invalid], invalid));
        }

        return new Parser(query).ParseQuery();
    }

    /// <summary>
    /// Control characters (other than whitespace) and unpaired surrogates are never meant in a query, and
    /// some would fail only later, in the database: PostgreSQL rejects U+0000 in text parameters.
    /// </summary>
    private static int IndexOfInvalidCharacter(string query)
    {
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (char.IsHighSurrogate(c) && i + 1 < query.Length && char.IsLowSurrogate(query[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// One parse. Methods return null once <see cref="_error"/> is set, which unwinds the descent without
    /// exceptions.
    /// </summary>
    private sealed class Parser(string text)
    {
        private int _position;
        private int _depth;
        private int _conditions;
        private string? _error;

        public QueryResult<QueryNode> ParseQuery()
        {
            var node = ParseOr();
            if (node is not null)
            {
                SkipWhitespace();
                if (_position < text.Length)
                {
                    node = text[_position] == QuerySyntax.CloseGroup
                        ? Fail<QueryNode>(QueryErrors.Malformed($"Unexpected '}}' at {QueryErrors.Position(_position)} without a matching '{{'."))
                        : Fail<QueryNode>(QueryErrors.Malformed($"Expected '&&', '||' or the end of the query but {QueryErrors.Found(text, _position)}."));
                }
            }

            return node is null
                ? QueryResult.Failure<QueryNode>(_error!)
                : QueryResult.Success(node);
        }

        private QueryNode? ParseOr()
        {
            var first = ParseAnd();
            if (first is null)
            {
                return null;
            }

            List<QueryNode>? operands = null;
            while (TryConsume(QuerySyntax.Or))
            {
                var next = ParseAnd();
                if (next is null)
                {
                    return null;
                }

                operands ??= [.. OrOperands(first)];
                operands.AddRange(OrOperands(next));
            }

            return operands is null ? first : new OrNode(operands);
        }

        private QueryNode? ParseAnd()
        {
            var first = ParsePrimary();
            if (first is null)
            {
                return null;
            }

            List<QueryNode>? operands = null;
            while (TryConsume(QuerySyntax.And))
            {
                var next = ParsePrimary();
                if (next is null)
                {
                    return null;
                }

                operands ??= [.. AndOperands(first)];
                operands.AddRange(AndOperands(next));
            }

            return operands is null ? first : new AndNode(operands);
        }

        private QueryNode? ParsePrimary()
        {
            SkipWhitespace();
            if (_position >= text.Length || text[_position] != QuerySyntax.OpenGroup)
            {
                return ParseComparison();
            }

            var open = _position++;
            if (++_depth > MaxNestingDepth)
            {
                return Fail<QueryNode>(QueryErrors.TooDeep(MaxNestingDepth));
            }

            var inner = ParseOr();
            if (inner is null)
            {
                return null;
            }

            SkipWhitespace();
            if (_position >= text.Length || text[_position] != QuerySyntax.CloseGroup)
            {
                return Fail<QueryNode>(QueryErrors.Malformed(
                    $"Expected '&&', '||' or '}}' closing the '{{' at {QueryErrors.Position(open)} but {QueryErrors.Found(text, _position)}."));
            }

            _position++;
            _depth--;
            return inner;
        }

        private ComparisonNode? ParseComparison()
        {
            if (++_conditions > MaxConditions)
            {
                return Fail<ComparisonNode>(QueryErrors.TooManyConditions(MaxConditions));
            }

            var pathStart = _position;
            while (_position < text.Length && (QuerySyntax.IsPathChar(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            if (_position == pathStart)
            {
                return Fail<ComparisonNode>(QueryErrors.Malformed($"Expected a property name but {QueryErrors.Found(text, _position)}."));
            }

            var path = text[pathStart.._position];
            if (!QuerySyntax.IsValidPath(path))
            {
                return Fail<ComparisonNode>(QueryErrors.Malformed(
                    $"'{QueryErrors.Echo(path)}' at {QueryErrors.Position(pathStart)} is not a valid property name."));
            }

            SkipWhitespace();
            if (!QuerySyntax.TryReadOperator(text, _position, out var op, out var opLength))
            {
                return Fail<ComparisonNode>(QueryErrors.Malformed(
                    $"Expected an operator (=, !=, ~, >, <, >=, <=) after '{QueryErrors.Echo(path)}' but {QueryErrors.Found(text, _position)}."));
            }

            _position += opLength;
            SkipWhitespace();
            var value = ParseValue(op);
            return value is null ? null : new ComparisonNode(path, op, value);
        }

        private string? ParseValue(QueryOperator op)
        {
            if (_position >= text.Length || QuerySyntax.IsValueTerminator(text, _position))
            {
                return Fail<string>(QueryErrors.Malformed(
                    $"Expected a value after '{op.ToSymbol()}' but {QueryErrors.Found(text, _position)}."));
            }

            if (text[_position] == QuerySyntax.Quote)
            {
                return ParseQuotedValue();
            }

            // "name==a" and "name~~a" are far more likely typos than searches for "=a" or "~a"; such values
            // have to be quoted.
            if (QuerySyntax.StartsWithOperator(text, _position))
            {
                return Fail<string>(QueryErrors.Malformed(
                    $"Unexpected '{text[_position]}' at {QueryErrors.Position(_position)} after operator '{op.ToSymbol()}'. " +
                    "Put values that start with an operator in double quotes."));
            }

            var end = QuerySyntax.IndexOfValueTerminator(text, _position);
            if (end < 0)
            {
                end = text.Length;
            }

            var value = text[_position..end].TrimEnd();
            _position = end;
            return value;
        }

        private string? ParseQuotedValue()
        {
            var open = _position++;
            var value = new StringBuilder();
            while (_position < text.Length)
            {
                var c = text[_position++];
                if (c == QuerySyntax.Quote)
                {
                    return value.ToString();
                }

                // Only \" and \\ are escapes, so Windows paths and regex-looking values survive unchanged.
                if (c == QuerySyntax.Escape && _position < text.Length
                    && text[_position] is QuerySyntax.Quote or QuerySyntax.Escape)
                {
                    c = text[_position++];
                }

                value.Append(c);
            }

            return Fail<string>(QueryErrors.Malformed($"The quoted value starting at {QueryErrors.Position(open)} has no closing '\"'."));
        }

        private bool TryConsume(string token)
        {
            SkipWhitespace();
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) != 0)
            {
                return false;
            }

            _position += token.Length;
            return true;
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        // "{a || b} || c" is just a three-way ||; flattening keeps trees shallow and ToString canonical.
        private static IEnumerable<QueryNode> OrOperands(QueryNode node) => node is OrNode or ? or.Operands : [node];

        private static IEnumerable<QueryNode> AndOperands(QueryNode node) => node is AndNode and ? and.Operands : [node];

        private T? Fail<T>(string error)
            where T : class
        {
            _error ??= error;
            return null;
        }
    }
}
