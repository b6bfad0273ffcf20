using System.Globalization;
using System.Text;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>A field of a GraphQL selection: its name, alias, arguments (literals or <see cref="GraphQlVariable"/>s) and sub-selection.</summary>
internal sealed record GraphQlField(string Name, string? Alias, IReadOnlyDictionary<string, object?> Arguments, IReadOnlyList<GraphQlField> Selections)
{
    public string ResponseName => Alias ?? Name;
}

internal sealed record GraphQlVariable(string Name);

/// <summary>An enum literal (<c>UPDATED_AT</c>), kept apart from strings as GraphQL does.</summary>
internal sealed record GraphQlEnum(string Value);

/// <summary>One operation: <c>query</c> or <c>mutation</c>, its top-level fields and its variables' defaults.</summary>
internal sealed record GraphQlOperation(string Kind, IReadOnlyList<GraphQlField> Selections, IReadOnlyDictionary<string, object?> Defaults);

internal sealed class GraphQlSyntaxException(string message) : Exception(message);

/// <summary>
/// A small parser for the GraphQL the Shopify simulator needs to understand (one operation, fields, aliases, arguments,
/// variables, lists and input objects). Fragments and directives are refused with a syntax error rather than ignored,
/// so a connector that starts using them is noticed.
/// </summary>
internal sealed class GraphQlParser
{
    private readonly string _text;
    private int _at;

    private GraphQlParser(string text) => _text = text;

    public static GraphQlOperation Parse(string text)
    {
        var parser = new GraphQlParser(text);
        var operation = parser.Operation();
        parser.Skip();
        if (parser._at < text.Length)
        {
            throw new GraphQlSyntaxException($"Parse error on \"{text[parser._at]}\": only one operation is supported");
        }

        return operation;
    }

    private GraphQlOperation Operation()
    {
        Skip();
        var kind = "query";
        var defaults = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Peek() != '{')
        {
            kind = Name();
            if (kind is not ("query" or "mutation"))
            {
                throw new GraphQlSyntaxException($"Parse error on \"{kind}\": expected query or mutation");
            }

            Skip();
            if (Peek() is not ('{' or '('))
            {
                Name();
            }

            Skip();
            if (Peek() == '(')
            {
                Expect('(');
                while (!TryTake(')'))
                {
                    Expect('$');
                    var name = Name();
                    Expect(':');
                    TypeReference();
                    defaults[name] = TryTake('=') ? Value() : null;
                }
            }
        }

        return new GraphQlOperation(kind, SelectionSet(), defaults);
    }

    private void TypeReference()
    {
        if (TryTake('['))
        {
            TypeReference();
            Expect(']');
        }
        else
        {
            Name();
        }

        TryTake('!');
    }

    private List<GraphQlField> SelectionSet()
    {
        Expect('{');
        var fields = new List<GraphQlField>();
        while (!TryTake('}'))
        {
            Skip();
            if (Peek() is '.' or '@')
            {
                throw new GraphQlSyntaxException("Parse error: fragments and directives are not supported by this simulator");
            }

            var name = Name();
            string? alias = null;
            if (TryTake(':'))
            {
                alias = name;
                name = Name();
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (TryTake('('))
            {
                while (!TryTake(')'))
                {
                    var argument = Name();
                    Expect(':');
                    arguments[argument] = Value();
                }
            }

            Skip();
            fields.Add(new GraphQlField(name, alias, arguments, Peek() == '{' ? SelectionSet() : []));
        }

        return fields;
    }

    private object? Value()
    {
        Skip();
        var c = Peek();
        if (c == '$')
        {
            _at++;
            return new GraphQlVariable(Name());
        }

        if (c == '"')
        {
            return StringValue();
        }

        if (c == '[')
        {
            _at++;
            var list = new List<object?>();
            while (!TryTake(']'))
            {
                list.Add(Value());
            }

            return list;
        }

        if (c == '{')
        {
            _at++;
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (!TryTake('}'))
            {
                var name = Name();
                Expect(':');
                fields[name] = Value();
            }

            return fields;
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = _at++;
            while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] is '.' or 'e' or 'E' or '+' or '-'))
            {
                _at++;
            }

            var number = _text[start.._at];
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) ? (object)integer
                : double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        var word = Name();
        return word switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ => new GraphQlEnum(word),
        };
    }

    private string StringValue()
    {
        Expect('"');
        var value = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length || _text[_at] == '\n')
            {
                throw new GraphQlSyntaxException("Parse error: unterminated string");
            }

            var c = _text[_at++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            var escaped = _at < _text.Length ? _text[_at++] : '\0';
            value.Append(escaped switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'b' => "\b",
                'f' => "\f",
                'u' when _at + 4 <= _text.Length => ((char)int.Parse(_text.AsSpan(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                '"' or '\\' or '/' => escaped.ToString(),
                _ => throw new GraphQlSyntaxException("Parse error: bad escape in string"),
            });
            if (escaped == 'u')
            {
                _at += 4;
            }
        }
    }

    private string Name()
    {
        Skip();
        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_') && (_at > start || !char.IsAsciiDigit(_text[_at])))
        {
            _at++;
        }

        if (_at == start)
        {
            throw new GraphQlSyntaxException(_at < _text.Length ? $"Parse error on \"{_text[_at]}\"" : "Parse error: unexpected end of document");
        }

        return _text[start.._at];
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
        {
            throw new GraphQlSyntaxException(_at < _text.Length ? $"Parse error on \"{_text[_at]}\": expected \"{c}\"" : $"Parse error: expected \"{c}\" at the end");
        }
    }

    private bool TryTake(char c)
    {
        Skip();
        if (_at < _text.Length && _text[_at] == c)
        {
            _at++;
            return true;
        }

        if (_at >= _text.Length && c is '}' or ')' or ']')
        {
            throw new GraphQlSyntaxException("Parse error: unexpected end of document");
        }

        return false;
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    /// <summary>Whitespace, commas (insignificant in GraphQL) and comments.</summary>
    private void Skip()
    {
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (char.IsWhiteSpace(c) || c == ',' || c == '\uFEFF')
            {
                _at++;
            }
            else if (c == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
