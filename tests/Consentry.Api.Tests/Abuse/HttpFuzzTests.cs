using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Querying.Tests;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Abuse;

/// <summary>The host on real Kestrel with the rate limits off: the fuzz tests send far more than one client would.</summary>
public class FuzzApp(DatabaseProvider provider) : LinkApp(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:RateLimits:Enabled"] = "false",
    };
}

public sealed class SqliteFuzzApp() : FuzzApp(DatabaseProvider.Sqlite);

public sealed class PostgresFuzzApp() : FuzzApp(DatabaseProvider.Postgres);

/// <summary>
/// Seeded HTTP fuzzing: mutated JSON for every POST, PUT and PATCH route of the API (found from the app's own endpoint
/// list, so new routes are fuzzed without being listed here), and hostile query strings and forms on the Link pages.
/// Never a 5xx; every API error in Codat's shape. A failure prints the seed and the request.
/// </summary>
public abstract partial class HttpFuzzTests(FuzzApp app, int defaultIterations)
{
    private static readonly string[] PropertyNames =
    [
        "name", "description", "tags", "platformKey", "url", "disabled", "eventTypes", "companyTags", "since", "redirectUrl",
        "whiteListUrls", "allowedOrigins", "enabled", "clientId", "clientSecret", "iconUrl", "logoUrl", "alertAuthHeader",
        "dataType", "fetchOnFirstLink", "syncFrequency", "syncSettings", "settings", "isLocked", "syncFromUtc", "syncFromWindow",
        "monthsToSync", "connectionId", "integrationId", "sourceId", "status", "category", "event", "step", "scopes", "x",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "a", "Acme Ltd", "sbac", "https://hooks.example.com/h", "http://127.0.0.1/", "javascript:alert(1)", "company.created",
        "2024-01-01T00:00:00Z", "9999-12-31", "-1", "NaN", "null", "\u0000", "\ud800", "\uffff", "名前", "<script>", "' OR 1=1 --",
        "{companyId}", "../../etc/passwd", "%00", "\r\n", "🙂", "00000000-0000-0000-0000-000000000000",
    ];

    [Fact]
    public async Task JsonBodies_EveryWriteRoute_NeverA5xxAndErrorsInCodatShape()
    {
        var seed = FuzzSettings.Seed(9_090);
        var iterations = FuzzSettings.Iterations(defaultIterations);
        var random = new Random(seed);
        var ids = await ArrangeAsync();
        var routes = WriteRoutes();
        Assert.True(routes.Count >= 15, $"Only {routes.Count} write routes found: the endpoint discovery broke.");

        var api = app.Alpha();
        var sdk = app.Anonymous();
        sdk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ids.SdkToken);
        for (var i = 0; i < iterations; i++)
        {
            var (method, pattern) = routes[i % routes.Count];
            var path = FillRoute(random, pattern, ids);
            var body = Body(random);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
            if (random.Next(4) == 0)
            {
                // Reused keys meet other bodies and routes: replays, 422s and 400s must all stay 4xx or 2xx.
                request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick(random, ["k1", "k2", "k3", "a b", "{}", new string('k', 300)]));
            }

            using var response = await (path.StartsWith("/link/api", StringComparison.Ordinal) ? sdk : api).SendAsync(request);
            await AssertNoServerErrorAsync(response, seed, i, $"{method} {path} {await body.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task LinkPages_HostileQueriesAndForms_NeverA5xx()
    {
        var seed = FuzzSettings.Seed(7_070);
        var iterations = FuzzSettings.Iterations(defaultIterations / 4);
        var random = new Random(seed);
        var ids = await ArrangeAsync();
        var browser = app.Anonymous();
        var pages = new[]
        {
            $"/link/company/{ids.CompanyId}", $"/link/company/{Guid.NewGuid()}", "/link/done", $"/link/embed/{ids.CompanyId}", "/link/embed/authorize",
            "/link/embed/result", $"/link/companies/{ids.CompanyId}/connections/{ids.ConnectionId}/start", "/link/oauth/callback/sbac",
            "/link/oauth/callback/nope", $"/link/companies/{ids.CompanyId}/connections/{Guid.NewGuid()}/start",
        };
        var names = new[] { "step", "q", "result", "status", "platform", "reason", "ticket", "opener", "companyId", "connectionId", "code", "state", "error", "error_description", "link.x", "statusCode", "x" };
        for (var i = 0; i < iterations; i++)
        {
            var page = pages[random.Next(pages.Length)];
            var query = string.Join('&', Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
                Uri.EscapeDataString(Pick(random, names)) + "=" + Uri.EscapeDataString(Pick(random, Strings) + (random.Next(3) == 0 ? new string('9', random.Next(1, 40)) : ""))));
            var url = page + (query.Length > 0 ? "?" + query : "");
            using var get = await browser.GetAsync(url);
            await AssertNoServerErrorAsync(get, seed, i, "GET " + url, codatShape: false);
            if (random.Next(3) != 0)
            {
                continue;
            }

            // A form post with the page's own antiforgery token (so the handler runs) or none at all.
            var html = await get.Content.ReadAsStringAsync();
            var fields = new List<KeyValuePair<string, string>>();
            if (AntiforgeryField().Match(html) is { Success: true } token && random.Next(4) != 0)
            {
                fields.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups["value"].Value)));
            }

            fields.AddRange(Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
                new KeyValuePair<string, string>(Pick(random, ["platformKey", "category", "file", "x", "companyId"]), Pick(random, Strings))));
            var handler = Pick(random, ["Choose", "Skip", "Upload", "Complete", "Continue", "Cancel", "Nope", ""]);
            var action = page + "?handler=" + handler + (query.Length > 0 ? "&" + query : "");
            using var post = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
            await AssertNoServerErrorAsync(post, seed, i, "POST " + action + " " + string.Join('&', fields.Select(f => f.Key + "=" + f.Value)), codatShape: false);
        }
    }

    [Fact]
    public async Task LinkStart_PostNamingNoHandler_Is400NotA500()
    {
        var ids = await ArrangeAsync();
        var browser = app.Anonymous();
        var page = $"/link/companies/{ids.CompanyId}/connections/{ids.ConnectionId}/start";
        var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups["value"].Value);

        using var response = await browser.PostAsync(page + "?handler=Upload", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LinkSdkApi_WrongContentType_IsJsonInCodatShape()
    {
        var ids = await ArrangeAsync();
        var sdk = app.Anonymous();
        sdk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ids.SdkToken);
        await sdk.SendRawAsync(HttpMethod.Patch, $"/link/api/companies/{ids.CompanyId}/connections/{ids.ConnectionId}", "x", "text/plain")
            .ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType);
    }

    private async Task AssertNoServerErrorAsync(HttpResponseMessage response, int seed, int i, string what, bool codatShape = true)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"Seed {seed}, request #{i}: {Show(what)} answered {status}: {text}\n" +
            string.Join('\n', app.Logs.Lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).TakeLast(1)));
        // Kestrel itself refuses a request target that decodes to a NUL (%00) with a bodiless 400 and closes the
        // connection, before any middleware runs: nothing of ours can answer it, and nothing of ours was reached.
        if (status == 400 && text.Length == 0 && response.Headers.ConnectionClose == true && what.Contains("%00", StringComparison.Ordinal))
        {
            return;
        }

        if (!codatShape || status < 400 || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            Assert.True(!codatShape || status < 400, $"Seed {seed}, request #{i}: {Show(what)} answered {status} without a JSON error body.");
            return;
        }

        var body = JsonNode.Parse(text)!;
        Assert.True(body["statusCode"]?.GetValue<int>() == status && body["error"]?.GetValue<string>() is { Length: > 0 } && body["correlationId"] is not null,
            $"Seed {seed}, request #{i}: {Show(what)} answered {status} outside Codat's error shape: {text}");
    }

    private sealed record Ids(string CompanyId, string ConnectionId, string WebhookId, string SdkToken);

    private async Task<Ids> ArrangeAsync()
    {
        var api = app.Alpha();
        var company = await api.CreateCompanyAsync("Fuzz target");
        var connection = await api.CreateConnectionAsync(company);
        var webhook = (await api.PostJsonAsync("/webhooks", new { url = "https://hooks.example.com/fuzz", disabled = true }).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var token = (await api.GetAsync($"/companies/{company}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        return new Ids(company, connection, webhook, token);
    }

    /// <summary>Every POST, PUT and PATCH route the app maps, outside the pages (fuzzed above) and the sandbox platforms.</summary>
    private List<(string Method, string Pattern)> WriteRoutes() =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/sandbox", StringComparison.Ordinal) && !raw.StartsWith("sandbox", StringComparison.Ordinal)
                        && e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is null
                        // Codat's operations we do not implement answer 501 by design (OperationsContractTests covers them).
                        && e.Metadata.GetMetadata<Consentry.Infrastructure.Errors.NotServedOperation>() is null
                        && !e.Metadata.OfType<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>().Any())
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT" or "PATCH")
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.m, StringComparer.Ordinal)];

    private static string FillRoute(Random random, string pattern, Ids ids) =>
        RouteParameter().Replace(pattern, m => m.Groups["name"].Value switch
        {
            "companyId" => random.Next(5) == 0 ? Guid.NewGuid().ToString() : ids.CompanyId,
            "connectionId" => random.Next(5) == 0 ? Guid.NewGuid().ToString() : ids.ConnectionId,
            "webhookId" => random.Next(5) == 0 ? Guid.NewGuid().ToString() : ids.WebhookId,
            "platformKey" => Pick(random, ["sbac", "sbbk", "zzzz", "a%20b", "..", new string('p', 40)]),
            "dataType" => Pick(random, ["invoices", "bills", "nope", "..", "%2e", new string('d', 200)]),
            var name when m.Value.Contains(":guid", StringComparison.Ordinal) || name.EndsWith("Id", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
            _ => Uri.EscapeDataString(Pick(random, Strings)) is { Length: > 0 } s ? s : "x",
        });

    private static ByteArrayContent Body(Random random)
    {
        var json = random.Next(10) switch
        {
            0 => Nested(random.Next(20, 60)),
            1 => Pick(random, ["", "null", "[]", "{}", "\"text\"", "42", "{", "}", "{\"a\":}", "[{]", "{\"name\":\"\\ud800\"}", "{\"name\":1e400}", "\u00ef\u00bb\u00bf{}"]),
            _ => Value(random, 0)?.ToJsonString() ?? "null",
        };
        if (random.Next(4) == 0 && json.Length > 0)
        {
            var at = random.Next(json.Length);
            json = random.Next(2) == 0 ? json[..at] : json.Insert(at, Pick(random, ["\"", ",", "}", "]", ":", "\\", "\u0000", "{\"k\":", "nul"]));
        }

        var content = new ByteArrayContent(random.Next(30) == 0 ? [0xff, 0xfe, .. Encoding.UTF8.GetBytes(json)] : Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(random.Next(15) == 0 ? Pick(random, ["text/plain", "application/xml", "application/json; charset=latin1"]) : "application/json");
        return content;
    }

    private static JsonNode? Value(Random random, int depth) => (depth > 3 ? random.Next(6) : random.Next(9)) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(Pick(random, [0, -1, 1, int.MaxValue, long.MinValue, 1.5e300, -0.0, 123456789012345678d])),
        3 or 4 or 5 => JsonValue.Create(Pick(random, Strings) + (random.Next(10) == 0 ? new string('x', random.Next(100, 5000)) : "")),
        6 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => Value(random, depth + 1))]),
        _ => Object(random, depth),
    };

    private static JsonObject Object(Random random, int depth)
    {
        var result = new JsonObject();
        foreach (var name in Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pick(random, PropertyNames)).Distinct())
        {
            result[name] = Value(random, depth + 1);
        }

        return result;
    }

    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"name\":", depth)) + "1" + new string('}', depth);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Show(string text) =>
        string.Concat(text.Take(600).Select(c => c < 0x20 || c is >= '\ud800' and <= '\udfff' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString()));

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*?value=""(?<value>[^""]+)""")]
    private static partial Regex AntiforgeryField();
}

public sealed class HttpFuzzTests_Sqlite(SqliteFuzzApp app) : HttpFuzzTests(app, 1500), IClassFixture<SqliteFuzzApp>;

public sealed class HttpFuzzTests_Postgres(PostgresFuzzApp app) : HttpFuzzTests(app, 300), IClassFixture<PostgresFuzzApp>;

/// <summary>The body and JSON limits that already existed (RequestLimits, ApiJson.MaxDepth), over real Kestrel.</summary>
public sealed class RequestLimitTests(SqliteFuzzApp app) : IClassFixture<SqliteFuzzApp>
{
    [Fact]
    public async Task JsonDeeperThanMaxDepth_Returns400InCodatShape()
    {
        var depth = Consentry.Infrastructure.Http.ApiJson.MaxDepth + 1;
        var json = string.Concat(Enumerable.Repeat("{\"name\":", depth)) + "1" + new string('}', depth);
        await app.Alpha().SendRawAsync(HttpMethod.Post, "/companies", json).ExpectErrorAsync(HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task DeclaredBodyOverTheLimit_Returns413BeforeReading()
    {
        // Only the head is sent, declaring 2 MiB: the answer must come without the body. (Sending the body too raced the
        // server's 413 and close against the client still writing, which then saw "Broken pipe" instead of the answer.)
        var answer = RawHttp.SendHeadOnlyAsync(new Uri(app.BaseUrl), "POST", "/webhooks", new Dictionary<string, string>
        {
            ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ConsentryApp.AlphaKey)),
            ["Content-Type"] = "application/json",
            ["Content-Length"] = (2 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        });
        await answer.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, "limit");
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Returns413()
    {
        // One chunk one byte over the 1 MiB limit, and then nothing more: the server cannot answer before the client has
        // written everything it will write, so the answer is read on a quiet connection (no race with a client still
        // writing, as HttpClient sending 2 MiB had).
        var data = Encoding.UTF8.GetBytes($$"""{"name":"{{new string('a', (1024 * 1024) - 10)}}"}""");
        var chunk = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n").Concat(data).Concat("\r\n"u8.ToArray()).ToArray();
        Assert.True(data.Length > 1024 * 1024, "The chunk must be over the limit.");
        var answer = RawHttp.SendAsync(new Uri(app.BaseUrl), "POST", "/companies", new Dictionary<string, string>
        {
            ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ConsentryApp.AlphaKey)),
            ["Content-Type"] = "application/json",
            ["Transfer-Encoding"] = "chunked",
        }, chunk);
        await answer.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}
