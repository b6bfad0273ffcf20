using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Querying.Tests;

/// <summary>
/// Seeded fuzzing: grammar-built queries, mutations of them, and random text. Every input must come back as
/// a success or as an "Error parsing query - " failure; every success must run on SQLite and return the same
/// rows as the compiled predicate run over the same invoices in memory.
/// </summary>
public sealed class QueryFuzzTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private const int Seed = 20_240_601;
    private const int Iterations = 20_000;

    private static readonly string[] AllOperators = ["=", "!=", "~", ">", "<", ">=", "<="];
    private static readonly string[] OrderedOperators = ["=", "!=", ">", "<", ">=", "<="];
    private static readonly string[] StringOperators = ["=", "!=", "~"];
    private static readonly string[] EqualityOperators = ["=", "!="];

    /// <summary>Properties grouped by type with operators and values that suit them; mixing groups makes errors.</summary>
    private static readonly (string[] Names, string[] Operators, string[] Values)[] Groups =
    [
        (
            ["invoiceNumber", "note", "customerRef.id", "customerRef.companyName", "lineItems.description", "NOTE", "region", "tier", "cost-centre"],
            StringOperators,
            ["INV-001", "inv-001", "Zebra", "delivery", "DELIVERY", "ß", "%", "_", "x' OR '1'='1", "'; DROP TABLE Invoices; --",
                "61", "acme", "widget", "uk", "UK", "gold", "A1", "\"a && b\"", "\"\"", "\" spaced \"", "\"}\"", "two words", "e"]
        ),
        (
            ["quantity", "totalAmount", "rate", "discountPercentage", "lineItems.amount", "TotalAmount"],
            OrderedOperators,
            ["1", "-5", "0", "5", "100", "250.50", "1e2", "49.99", "10", "2147483648", "1.5", "-10", "999"]
        ),
        (
            ["issueDate", "paidOnDate", "modifiedDate", "dueDate"],
            OrderedOperators,
            ["2024-01-01", "2024-01-10T00:00:00Z", "2023-12-31T23:00:00+01:00", "2025-06-02", "2024-02-15T10:30", "2022-06-30"]
        ),
        (["isOverdue"], EqualityOperators, ["true", "FALSE", "True"]),
        (["status", "Status"], EqualityOperators, ["Paid", "draft", "Void", "SUBMITTED"]),
        (["id"], EqualityOperators, ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "0B9C1A36-6A7E-4D0E-8A53-1B2C3D4E5F05"]),
        (
            ["customerRef", "lineItems", "note.x", "unknown", "a.b.c"],
            AllOperators,
            ["abc", "NaN", "1", "2024-13-01", "maybe", "Paid"]
        ),
    ];

    private static readonly string[] Tokens = ["&&", "||", "{", "}", "\"", "\\", "!=", ">=", "=", "~", " ", ".", "-"];

    private const string Alphabet = "{}|&=!~<>\". \t\\-_.aZ9ßé名\0\n\uD800\u00A0";

    [Fact]
    public void TryBuildFilter_SeededRandomQueries_NeverThrowAndSuccessesRunOnSqlite()
    {
        var random = new Random(Seed);
        var invoices = TestData.Invoices();
        int successes = 0, failures = 0;

        using var db = database.CreateContext();
        for (var i = 0; i < Iterations; i++)
        {
            var query = (i % 4) switch
            {
                0 or 1 => Generate(random, depth: 0),
                2 => Mutate(random, Generate(random, depth: 0)),
                _ => RandomText(random),
            };
            var properties = random.Next(2) == 0 ? InvoiceQueries.Properties : InvoiceQueries.WithTags;

            QueryResult<System.Linq.Expressions.Expression<Func<Invoice, bool>>?> filter;
            try
            {
                filter = properties.TryBuildFilter(query);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Input #{i} {Show(query)} threw {ex}");
                return;
            }

            if (!filter.IsSuccess)
            {
                failures++;
                Assert.True(
                    filter.Error.StartsWith("Error parsing query - ", StringComparison.Ordinal),
                    $"Input #{i} {Show(query)} gave an unprefixed error: {filter.Error}");
                continue;
            }

            if (filter.Value is null)
            {
                continue;
            }

            successes++;
            AssertCanonicalFormRoundTrips(query);
            // Interpreted: compiling 5,000 one-off delegates would cost more than running them over five rows.
            var expected = invoices.Where(filter.Value.Compile(preferInterpretation: true)).Select(x => x.Number).Order(StringComparer.Ordinal).ToArray();
            string[] actual;
            try
            {
                actual = [.. db.Invoices.AsNoTracking().Where(filter.Value).Select(x => x.Number).AsEnumerable().Order(StringComparer.Ordinal)];
            }
            catch (Exception ex)
            {
                Assert.Fail($"Input #{i} {Show(query)} parsed but failed on SQLite: {ex}");
                return;
            }

            Assert.True(
                expected.SequenceEqual(actual),
                $"Input #{i} {Show(query)}: SQLite returned [{string.Join(", ", actual)}], in memory [{string.Join(", ", expected)}]");
        }

        // Guard against a generator that drifts into testing only one outcome.
        Assert.True(successes > Iterations / 5, $"Only {successes} of {Iterations} inputs were valid queries.");
        Assert.True(failures > Iterations / 5, $"Only {failures} of {Iterations} inputs were rejected.");
    }

    [Fact]
    public void Parse_SeededRandomQueriesNearTheLengthLimit_NeverThrow()
    {
        var random = new Random(Seed + 1);
        for (var i = 0; i < 200; i++)
        {
            var builder = new StringBuilder();
            while (builder.Length < QueryParser.MaxLength - 40)
            {
                builder.Append(random.Next(3) == 0 ? RandomText(random) : Generate(random, depth: 0));
            }

            var query = builder.ToString();
            var result = QueryParser.Parse(query);
            Assert.True(result.IsSuccess || result.Error.StartsWith("Error parsing query - ", StringComparison.Ordinal));
        }
    }

    private static void AssertCanonicalFormRoundTrips(string query)
    {
        var canonical = QueryParser.Parse(query).Value.ToString();
        var reparsed = QueryParser.Parse(canonical);
        Assert.True(reparsed.IsSuccess, $"Canonical form {Show(canonical)} of {Show(query)} did not parse: {reparsed.Error}");
        Assert.Equal(canonical, reparsed.Value.ToString());
    }

    private static string Generate(Random random, int depth)
    {
        var roll = random.Next(10);
        if (depth >= 3 || roll < 5)
        {
            return Comparison(random);
        }

        var connective = random.Next(2) == 0 ? " && " : "||";
        var parts = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Generate(random, depth + 1));
        var joined = string.Join(connective, parts);
        return roll < 8 ? "{" + joined + "}" : joined;
    }

    private static string Comparison(Random random)
    {
        // Mostly well-typed, so that whole queries often succeed; sometimes each part from any group.
        var group = Groups[random.Next(Groups.Length)];
        var mixed = random.Next(10) == 0;
        var name = Pick(random, mixed ? Groups[random.Next(Groups.Length)].Names : group.Names);
        var op = mixed ? Pick(random, AllOperators) : Pick(random, group.Operators);
        var value = Pick(random, mixed ? Groups[random.Next(Groups.Length)].Values : group.Values);
        var space = random.Next(3) == 0 ? " " : string.Empty;
        return name + space + op + space + value;
    }

    private static string Mutate(Random random, string query)
    {
        var text = new StringBuilder(query);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 1:
                    text.Insert(at, Pick(random, Tokens));
                    break;
                case 2 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                    break;
                case 3 when at < text.Length:
                    text.Length = at;
                    break;
                default:
                    var from = random.Next(text.Length + 1);
                    var length = random.Next(Math.Min(10, text.Length - from) + 1);
                    text.Insert(at, text.ToString(from, length));
                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var length = random.Next(0, 40); length > 0; length--)
        {
            text.Append(random.Next(4) == 0 ? Pick(random, Tokens) : Alphabet[random.Next(Alphabet.Length)].ToString());
        }

        return text.ToString();
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c)
            ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : c.ToString())) + "\"";
}
