using System.Globalization;
using System.Text;

namespace Consentry.Querying.Tests;

/// <summary>
/// Differential fuzzing of <see cref="QueryParser"/> against <see cref="ReferenceQueryGrammar"/>, a second, independently
/// written recogniser of the grammar in the parser's doc comment: for every generated input both must agree on
/// accept/reject and, on accept, on the tree. The parser can then never accept malformed input the reference refuses,
/// nor refuse what it accepts.
/// </summary>
public sealed class QueryParserOracleTests
{
    private static readonly string[] Fragments =
    [
        "name", "a.b", "tags.x-y", "_", "9", "ß", "名", ".", "..", "a.", ".a",
        "=", "!=", "~", ">", "<", ">=", "<=", "==", "=<", "!", "&&", "||", "&", "|", "{", "}", "{{", "}}",
        "\"", "\\\"", "\\\\", "\\", " ", "  ", "\t", "\n", "\u00A0", "value", "two words", "1", "-5", "2024-01-01", "{x}",
        "\0", "\u0001", "\uD800", "\uDC00", "\uD83D\uDE00", "&&&", "|||", "a=1", "a = \"q\"",
    ];

    [Fact]
    public void Parse_SeededInputs_AgreesWithTheReferenceGrammar()
    {
        var seed = FuzzSettings.Seed(20_261_122);
        var iterations = FuzzSettings.Iterations(40_000);
        var random = new Random(seed);
        int accepted = 0, rejected = 0;
        for (var i = 0; i < iterations; i++)
        {
            var input = (i % 3) switch
            {
                0 => Valid(random, 0),
                1 => Mutate(random, Valid(random, 0)),
                _ => Soup(random),
            };

            QueryResult<QueryNode> actual;
            try
            {
                actual = QueryParser.Parse(input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Seed {seed}, input #{i} {Show(input)} threw {ex}");
                return;
            }

            var expected = ReferenceQueryGrammar.Recognize(input);
            if (actual.IsSuccess)
            {
                accepted++;
                Assert.True(expected is not null, $"Seed {seed}, input #{i} {Show(input)}: the parser accepted what the grammar refuses ({actual.Value}).");
                Assert.True(expected == actual.Value, $"Seed {seed}, input #{i} {Show(input)}: parser tree {actual.Value}, reference {expected}.");
            }
            else
            {
                rejected++;
                Assert.StartsWith("Error parsing query - ", actual.Error, StringComparison.Ordinal);
                Assert.True(expected is null, $"Seed {seed}, input #{i} {Show(input)}: the parser refused ({actual.Error}) what the grammar accepts ({expected}).");
            }
        }

        Assert.True(accepted > iterations / 5 && rejected > iterations / 5, $"Seed {seed}: {accepted} accepted, {rejected} rejected; the generator drifted.");
    }

    [Fact]
    public void Parse_TooManyConditions_IsRefused()
    {
        static string Conditions(int n) => string.Join("&&", Enumerable.Range(0, n).Select(i => $"a={i}"));

        Assert.True(QueryParser.Parse(Conditions(QueryParser.MaxConditions)).IsSuccess);
        Assert.Equal("Error parsing query - Query exceeds the maximum of 200 conditions", QueryParser.Parse(Conditions(QueryParser.MaxConditions + 1)).Error);
    }

    private static string Valid(Random random, int depth)
    {
        if (depth >= 4 || random.Next(10) < 5)
        {
            var path = string.Join('.', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, ["name", "a", "x_1", "tag-k", "ü"])));
            var op = Pick(random, ["=", "!=", "~", ">", "<", ">=", "<="]);
            var value = random.Next(4) switch
            {
                0 => "\"" + Pick(random, ["", "a && b", "}", "say \\\"hi\\\"", "back\\\\slash", "c:\\dir", " pad "]) + "\"",
                _ => Pick(random, ["v", "two words", "1.5", "{x", "a=b", "x|y", "a&b", "q\"uote"]),
            };
            var space = random.Next(3) == 0 ? " " : "";
            return path + space + op + space + value;
        }

        var parts = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Valid(random, depth + 1));
        var joined = string.Join(random.Next(2) == 0 ? " && " : "||", parts);
        return random.Next(3) == 0 ? joined : "{" + joined + "}";
    }

    private static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        for (var edits = random.Next(1, 3); edits > 0; edits--)
        {
            var at = random.Next(builder.Length + 1);
            if (random.Next(2) == 0 || builder.Length == 0)
            {
                builder.Insert(at, Pick(random, Fragments));
            }
            else
            {
                builder.Remove(Math.Min(at, builder.Length - 1), 1);
            }
        }

        return builder.ToString();
    }

    private static string Soup(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Pick(random, Fragments)));

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c)
            ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : c.ToString())) + "\"";
}

/// <summary>
/// The query grammar written a second time, as a plain backtracking-free recogniser over indices, for the differential
/// test above. It shares nothing with the parser but the public node records and the published limits.
/// </summary>
internal sealed class ReferenceQueryGrammar
{
    private readonly string _s;
    private int _i;
    private int _conditions;

    private ReferenceQueryGrammar(string s) => _s = s;

    public static QueryNode? Recognize(string s)
    {
        if (s.Trim().Length == 0 || s.Length > QueryParser.MaxLength)
        {
            return null;
        }

        for (var k = 0; k < s.Length; k++)
        {
            if (char.IsHighSurrogate(s[k]) && k + 1 < s.Length && char.IsLowSurrogate(s[k + 1]))
            {
                k++;
                continue;
            }

            if (char.IsSurrogate(s[k]) || (char.IsControl(s[k]) && !char.IsWhiteSpace(s[k])))
            {
                return null;
            }
        }

        var grammar = new ReferenceQueryGrammar(s);
        var node = grammar.Disjunction(0);
        grammar.Blank();
        return node is not null && grammar._i == s.Length ? node : null;
    }

    private QueryNode? Disjunction(int depth)
    {
        var operands = new List<QueryNode>();
        do
        {
            var next = Conjunction(depth);
            if (next is null)
            {
                return null;
            }

            operands.AddRange(next is OrNode or ? or.Operands : [next]);
        }
        while (Take("||"));

        return operands.Count == 1 ? operands[0] : new OrNode(operands);
    }

    private QueryNode? Conjunction(int depth)
    {
        var operands = new List<QueryNode>();
        do
        {
            var next = Term(depth);
            if (next is null)
            {
                return null;
            }

            operands.AddRange(next is AndNode and ? and.Operands : [next]);
        }
        while (Take("&&"));

        return operands.Count == 1 ? operands[0] : new AndNode(operands);
    }

    private QueryNode? Term(int depth)
    {
        Blank();
        if (!Take("{"))
        {
            return Comparison();
        }

        if (depth + 1 > QueryParser.MaxNestingDepth)
        {
            return null;
        }

        var inner = Disjunction(depth + 1);
        return inner is not null && Take("}") ? inner : null;
    }

    private ComparisonNode? Comparison()
    {
        if (++_conditions > QueryParser.MaxConditions)
        {
            return null;
        }

        var start = _i;
        while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] is '_' or '-' or '.'))
        {
            _i++;
        }

        var path = _s[start.._i];
        if (path.Length == 0 || path.Split('.').Any(segment => segment.Length == 0))
        {
            return null;
        }

        Blank();
        QueryOperator? op = null;
        foreach (var (symbol, candidate) in new[]
                 {
                     ("!=", QueryOperator.NotEqual), (">=", QueryOperator.GreaterThanOrEqual), ("<=", QueryOperator.LessThanOrEqual),
                     ("=", QueryOperator.Equal), ("~", QueryOperator.Contains), (">", QueryOperator.GreaterThan), ("<", QueryOperator.LessThan),
                 })
        {
            if (Take(symbol, skipBlank: false))
            {
                op = candidate;
                break;
            }
        }

        if (op is null)
        {
            return null;
        }

        Blank();
        if (_i == _s.Length || Ends(_i) || "=!~<>".Contains(_s[_i], StringComparison.Ordinal) && StartsOperator(_i))
        {
            return null;
        }

        if (_s[_i] != '"')
        {
            var end = _i;
            while (end < _s.Length && !Ends(end))
            {
                end++;
            }

            var bare = _s[_i..end].TrimEnd();
            _i = end;
            return new ComparisonNode(path, op.Value, bare);
        }

        var value = new StringBuilder();
        for (_i++; _i < _s.Length; _i++)
        {
            if (_s[_i] == '"')
            {
                _i++;
                return new ComparisonNode(path, op.Value, value.ToString());
            }

            if (_s[_i] == '\\' && _i + 1 < _s.Length && _s[_i + 1] is '"' or '\\')
            {
                _i++;
            }

            value.Append(_s[_i]);
        }

        return null;
    }

    private bool StartsOperator(int at) =>
        _s[at] is '=' or '~' or '>' or '<' || (_s[at] == '!' && at + 1 < _s.Length && _s[at + 1] == '=');

    private bool Ends(int at) =>
        _s[at] == '}' || (at + 1 < _s.Length && ((_s[at] == '&' && _s[at + 1] == '&') || (_s[at] == '|' && _s[at + 1] == '|')));

    private bool Take(string token, bool skipBlank = true)
    {
        if (skipBlank)
        {
            Blank();
        }

        if (!_s.AsSpan(_i).StartsWith(token, StringComparison.Ordinal))
        {
            return false;
        }

        _i += token.Length;
        return true;
    }

    private void Blank()
    {
        while (_i < _s.Length && char.IsWhiteSpace(_s[_i]))
        {
            _i++;
        }
    }
}
