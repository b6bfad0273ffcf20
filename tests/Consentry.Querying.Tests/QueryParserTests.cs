namespace Consentry.Querying.Tests;

public sealed class QueryParserTests
{
    private const string Malformed = "Error parsing query - Malformed query.";

    private static QueryNode ParseOk(string query)
    {
        var result = QueryParser.Parse(query);
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    private static string ParseError(string? query)
    {
        var result = QueryParser.Parse(query);
        Assert.False(result.IsSuccess, $"Expected '{query}' to be rejected but it parsed as '{result}'.");
        return result.Error;
    }

    [Theory]
    [InlineData("amount=100", QueryOperator.Equal)]
    [InlineData("amount!=100", QueryOperator.NotEqual)]
    [InlineData("amount~100", QueryOperator.Contains)]
    [InlineData("amount>100", QueryOperator.GreaterThan)]
    [InlineData("amount<100", QueryOperator.LessThan)]
    [InlineData("amount>=100", QueryOperator.GreaterThanOrEqual)]
    [InlineData("amount<=100", QueryOperator.LessThanOrEqual)]
    public void Parse_EachOperator_ReturnsComparisonWithThatOperator(string query, QueryOperator expected)
    {
        Assert.Equal(new ComparisonNode("amount", expected, "100"), ParseOk(query));
    }

    [Theory]
    [InlineData("  name  =  Acme Ltd  ")]
    [InlineData("name=Acme Ltd")]
    [InlineData("\tname\t=\tAcme Ltd\n")]
    public void Parse_WhitespaceAroundTokens_IsIgnoredButInnerSpacesKept(string query)
    {
        Assert.Equal(new ComparisonNode("name", QueryOperator.Equal, "Acme Ltd"), ParseOk(query));
    }

    [Theory]
    [InlineData("customerRef.id=61", "customerRef.id", "61")]
    [InlineData("dataConnections.status=PendingAuth", "dataConnections.status", "PendingAuth")]
    [InlineData("a.b.c_d.e-f = x", "a.b.c_d.e-f", "x")]
    [InlineData("名前=値", "名前", "値")]
    [InlineData("emoji=\U0001F600 ok", "emoji", "\U0001F600 ok")]
    public void Parse_DottedAndUnicodePaths_KeepsPathWhole(string query, string path, string value)
    {
        Assert.Equal(new ComparisonNode(path, QueryOperator.Equal, value), ParseOk(query));
    }

    [Fact]
    public void Parse_AndOr_AndBindsTighterThanOr()
    {
        var node = ParseOk("a=1 || b=2 && c=3");

        var or = Assert.IsType<OrNode>(node);
        Assert.Equal(2, or.Operands.Count);
        Assert.Equal(new ComparisonNode("a", QueryOperator.Equal, "1"), or.Operands[0]);
        var and = Assert.IsType<AndNode>(or.Operands[1]);
        Assert.Equal(["b=2", "c=3"], and.Operands.Select(o => o.ToString()));
    }

    [Fact]
    public void Parse_SameQueryTwice_GivesEqualTrees()
    {
        var expected = new OrNode([
            new ComparisonNode("a", QueryOperator.Equal, "1"),
            new AndNode([new ComparisonNode("b", QueryOperator.GreaterThan, "2"), new ComparisonNode("c", QueryOperator.Contains, "x")]),
        ]);

        Assert.Equal(expected, ParseOk("a=1 || b>2 && c~x"));
        Assert.Equal(expected.GetHashCode(), ParseOk("{a = 1} || {b > 2 && c ~ x}").GetHashCode());
        Assert.NotEqual(expected, ParseOk("a=1 || b>2 && c~y"));
    }

    [Fact]
    public void Parse_CurlyBraces_OverridePrecedence()
    {
        var node = ParseOk("{a=1 || b=2} && c=3");

        var and = Assert.IsType<AndNode>(node);
        Assert.IsType<OrNode>(and.Operands[0]);
        Assert.Equal("{a=1 || b=2} && c=3", node.ToString());
    }

    [Fact]
    public void Parse_CodatDocumentationExample_ParsesToExpectedTree()
    {
        var node = ParseOk("{totalAmount > 100 || totalAmount < 50} && status != paid");

        Assert.Equal("{totalAmount>100 || totalAmount<50} && status!=paid", node.ToString());
    }

    [Fact]
    public void Parse_ChainsAndRedundantGroups_AreFlattened()
    {
        var and = Assert.IsType<AndNode>(ParseOk("a=1 && {b=2 && {c=3}} && {{d=4}}"));

        Assert.Equal(["a=1", "b=2", "c=3", "d=4"], and.Operands.Select(o => o.ToString()));
        Assert.IsType<ComparisonNode>(ParseOk("{{{a=1}}}"));
    }

    [Fact]
    public void Parse_OperatorsWithoutSpaces_ParseLikeSpacedOnes()
    {
        Assert.Equal(
            ParseOk("{ a = 1 || b = 2 } && c != 3").ToString(),
            ParseOk("{a=1||b=2}&&c!=3").ToString());
    }

    [Theory]
    [InlineData("name=\"a && b\"", "a && b")]
    [InlineData("name=\"{x || y}\"", "{x || y}")]
    [InlineData("name=\" padded \"", " padded ")]
    [InlineData("name=\"=starts with operator\"", "=starts with operator")]
    [InlineData("name=\"\"", "")]
    [InlineData("name=\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("name=\"back\\\\slash\"", "back\\slash")]
    [InlineData("name=\"c:\\temp\"", "c:\\temp")]
    public void Parse_QuotedValue_IsTakenLiterally(string query, string expected)
    {
        var comparison = Assert.IsType<ComparisonNode>(ParseOk(query));
        Assert.Equal(expected, comparison.RawValue);
    }

    [Theory]
    [InlineData("name=Acme & Sons (UK) = best", "Acme & Sons (UK) = best")]
    [InlineData("name=a|b", "a|b")]
    [InlineData("name=say \"hi\"", "say \"hi\"")]
    [InlineData("name={x", "{x")]
    [InlineData("amount>-5.5", "-5.5")]
    [InlineData("created>2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z")]
    public void Parse_BareValue_RunsToTheNextConnectiveOrBrace(string query, string expected)
    {
        var comparison = Assert.IsType<ComparisonNode>(ParseOk(query));
        Assert.Equal(expected, comparison.RawValue);
    }

    [Fact]
    public void Parse_UrlDecodedQuery_ParsesLikeTheLiteral()
    {
        var decoded = Uri.UnescapeDataString(
            "%7BtotalAmount%20%3E%20100%20%7C%7C%20totalAmount%20%3C%2050%7D%20%26%26%20status%20!%3D%20paid");

        Assert.Equal("{totalAmount>100 || totalAmount<50} && status!=paid", ParseOk(decoded).ToString());
    }

    [Fact]
    public void Parse_ExactlyMaxLength_Succeeds()
    {
        var query = "name=" + new string('x', QueryParser.MaxLength - 5);

        Assert.Equal(2048, query.Length);
        Assert.True(QueryParser.Parse(query).IsSuccess);
    }

    [Fact]
    public void Parse_OneOverMaxLength_ReturnsLengthError()
    {
        var query = "name=" + new string('x', QueryParser.MaxLength - 4);

        Assert.Equal("Error parsing query - Query exceeds the maximum length of 2048 characters", ParseError(query));
    }

    [Fact]
    public void Parse_NestingAtLimit_SucceedsAndOneDeeperFails()
    {
        static string Nested(int depth) => new string('{', depth) + "a=1" + new string('}', depth);

        Assert.True(QueryParser.Parse(Nested(QueryParser.MaxNestingDepth)).IsSuccess);
        Assert.Equal(
            "Error parsing query - Query exceeds the maximum nesting depth of 32 groups",
            ParseError(Nested(QueryParser.MaxNestingDepth + 1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("name=")]
    [InlineData("name =   ")]
    [InlineData("=x")]
    [InlineData("{name=a")]
    [InlineData("name=a}")]
    [InlineData("name=a &&")]
    [InlineData("name=a ||")]
    [InlineData("&&")]
    [InlineData("||")]
    [InlineData("name~~a")]
    [InlineData("name==a")]
    [InlineData("name=!=a")]
    [InlineData("name=a ||| b")]
    [InlineData("name=a && && b=1")]
    [InlineData("name=a &&& b=1")]
    [InlineData("name")]
    [InlineData("name a")]
    [InlineData("name !")]
    [InlineData("{}")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("(name=a)")]
    [InlineData("name=a && {b=1")]
    [InlineData("a..b=1")]
    [InlineData(".a=1")]
    [InlineData("a.=1")]
    [InlineData("name=\"abc")]
    [InlineData("name=\"a\"b")]
    [InlineData("name=\"a\" \"b\"")]
    [InlineData("name=&&")]
    [InlineData("name=}")]
    [InlineData("{name=a}}")]
    [InlineData("name=a {b=1}")]
    public void Parse_MalformedInput_ReturnsMalformedError(string? query)
    {
        Assert.StartsWith(Malformed, ParseError(query));
    }

    [Theory]
    [InlineData("name=", "Error parsing query - Malformed query. Expected a value after '=' but reached the end of the query.")]
    [InlineData("=x", "Error parsing query - Malformed query. Expected a property name but found '=' at position 1.")]
    [InlineData("{name=a", "Error parsing query - Malformed query. Expected '&&', '||' or '}' closing the '{' at position 1 but reached the end of the query.")]
    [InlineData("name=a}", "Error parsing query - Malformed query. Unexpected '}' at position 7 without a matching '{'.")]
    [InlineData("name=a && ", "Error parsing query - Malformed query. Expected a property name but reached the end of the query.")]
    [InlineData("name~~a", "Error parsing query - Malformed query. Unexpected '~' at position 6 after operator '~'. Put values that start with an operator in double quotes.")]
    [InlineData("name a", "Error parsing query - Malformed query. Expected an operator (=, !=, ~, >, <, >=, <=) after 'name' but found 'a' at position 6.")]
    [InlineData("a..b=1", "Error parsing query - Malformed query. 'a..b' at position 1 is not a valid property name.")]
    [InlineData("name=\"abc", "Error parsing query - Malformed query. The quoted value starting at position 6 has no closing '\"'.")]
    [InlineData("name=\"a\"b", "Error parsing query - Malformed query. Expected '&&', '||' or the end of the query but found 'b' at position 9.")]
    [InlineData("   ", "Error parsing query - Malformed query. The query is empty.")]
    [InlineData("name=a\0b", "Error parsing query - Malformed query. The query contains the invalid character U+0000 at position 7.")]
    public void Parse_MalformedInput_ExplainsWhatAndWhere(string query, string expected)
    {
        Assert.Equal(expected, ParseError(query));
    }

    [Fact]
    public void Parse_UnpairedSurrogate_ReturnsInvalidCharacterError()
    {
        // Built in code: attribute arguments are stored as UTF-8, which cannot hold an unpaired surrogate.
        var highOnly = "name=" + '\uD800';
        var reversedPair = "name=" + '\uDC00' + '\uD800';

        Assert.Equal("Error parsing query - Malformed query. The query contains the invalid character U+D800 at position 6.", ParseError(highOnly));
        Assert.Equal("Error parsing query - Malformed query. The query contains the invalid character U+DC00 at position 6.", ParseError(reversedPair));
    }

    [Theory]
    [InlineData("name=a")]
    [InlineData("{totalAmount > 100 || totalAmount < 50} && status != paid")]
    [InlineData("a=1 || b=2 && {c=3 || d~4} && e>=5")]
    [InlineData("name=\"a && b\" && note=\" x \" || x=\"~y\" || y=\"\\\\\\\"\"")]
    [InlineData("name=\"}\" || name=\"=\" || name=\"\"")]
    public void ToString_OfParsedQuery_ParsesBackToTheSameTree(string query)
    {
        var text = ParseOk(query).ToString();

        Assert.Equal(text, ParseOk(text).ToString());
    }
}
