// The real-platform benchmark (bench/platforms/run.sh): one company links a simulated real platform (Xero, QuickBooks
// Online) as the simulator's `user_big` (a typical small business: 5,000 invoices and bills, 1,000 contacts, 200
// accounts) by walking the Link page and the simulator's own sign-in pages over HTTP; the clock runs from the callback's
// answer until every data type the connector reads is Complete in dataStatus.
//
//   Driver platform --base http://localhost:5000 --key KEY --platform gbol [--user user_big] [--out result.json]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JourneyDriver;

internal static partial class PlatformReadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            d[args[i].TrimStart('-')] = args[i + 1];
        }

        var baseUri = new Uri(d["base"]);
        var platform = d["platform"];
        var user = d.GetValueOrDefault("user", "user_big");
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
        {
            BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60),
        };
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(d["key"])));
        var client = new JourneyClient(http, auth);
        await client.ApiAsync(HttpMethod.Put, "/profile", new JsonObject { ["name"] = "Platform bench", ["redirectUrl"] = "https://app.example/done?status={statusCode}", ["whiteListUrls"] = new JsonArray("https://app.example") });
        var (_, body) = await client.ApiAsync(HttpMethod.Post, "/companies", new JsonObject { ["name"] = $"Platform bench {platform}" });
        var companyId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        (_, body) = await client.ApiAsync(HttpMethod.Post, $"/companies/{companyId}/connections", new JsonObject { ["platformKey"] = platform });
        var linkUrl = new Uri(JsonNode.Parse(body)!["linkUrl"]!.GetValue<string>());

        // The browser: Continue on the Link page, then whatever the platform's pages ask (sign in, allow, choose).
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        var page = await PageAsync(http, HttpMethod.Get, linkUrl, null, jar);
        var form = Forms(page).First(f => f.Action.Query.Contains("handler=Continue", StringComparison.Ordinal));
        page = await PageAsync(http, HttpMethod.Post, form.Action, form.Fields, jar);
        long linkedAt = 0;
        for (var step = 0; step < 20 && linkedAt == 0; step++)
        {
            if (page.Location is { } next)
            {
                if (next.Host == "app.example")
                {
                    if (!next.Query.Contains("status=200", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"The journey ended at {next}");
                    }

                    linkedAt = Stopwatch.GetTimestamp();
                    break;
                }

                page = await PageAsync(http, HttpMethod.Get, next, null, jar);
                continue;
            }

            var forms = Forms(page);
            var signIn = forms.FirstOrDefault(f => f.HasPassword);
            var chosen = signIn ?? forms.FirstOrDefault() ?? throw new InvalidOperationException($"A page without forms at {page.Uri}: {page.Body[..Math.Min(400, page.Body.Length)]}");
            var fields = new Dictionary<string, string>(chosen.Fields);
            if (signIn is not null)
            {
                (fields["username"], fields["password"]) = (user, "pass_good");
            }

            page = await PageAsync(http, HttpMethod.Post, chosen.Action, fields, jar);
        }

        if (linkedAt == 0)
        {
            throw new InvalidOperationException("The journey did not return to the app.");
        }

        var (types, done) = await WaitCompleteAsync(client, companyId);
        var seconds = Stopwatch.GetElapsedTime(linkedAt, done).TotalSeconds;
        var records = 0;
        foreach (var type in types.Where(t => t != "company"))
        {
            // Codat serves the chart of accounts at data/accounts; every other type under its own name.
            (_, body) = await client.ApiAsync(HttpMethod.Get, $"/companies/{companyId}/data/{(type == "chartOfAccounts" ? "accounts" : type)}?pageSize=1");
            records += JsonNode.Parse(body)!["totalResults"]!.GetValue<int>();
        }

        records += types.Contains("company") ? 1 : 0;
        var result = new JsonObject
        {
            ["platform"] = platform,
            ["dataTypes"] = new JsonArray([.. types.Select(t => JsonValue.Create(t))]),
            ["records"] = records,
            ["secondsToComplete"] = Math.Round(seconds, 2),
            ["recordsPerSecond"] = Math.Round(records / seconds, 0),
        };
        var json = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (d.TryGetValue("out", out var outPath))
        {
            await File.WriteAllTextAsync(outPath, json);
        }

        return 0;
    }

    /// <summary>Polls dataStatus every 50 ms until every data type queued at the link is Complete (10 minutes at most).</summary>
    private static async Task<(IReadOnlyList<string> Types, long At)> WaitCompleteAsync(JourneyClient client, string companyId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            var (_, body) = await client.ApiAsync(HttpMethod.Get, $"/companies/{companyId}/dataStatus");
            var status = JsonNode.Parse(body)!.AsObject();
            var now = Stopwatch.GetTimestamp();
            var errored = status.FirstOrDefault(s => s.Value!["currentStatus"]!.GetValue<string>() is not ("Queued" or "Fetching" or "Complete"));
            if (errored.Value is not null)
            {
                throw new InvalidOperationException($"{errored.Key} ended {errored.Value["currentStatus"]}");
            }

            if (status.Count > 0 && status.All(s => s.Value!["currentStatus"]!.GetValue<string>() == "Complete"))
            {
                return ([.. status.Select(s => s.Key)], now);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The reads did not complete within 10 minutes.");
    }

    private sealed record Page(Uri Uri, HttpStatusCode Status, Uri? Location, string Body);

    private sealed record Form(Uri Action, Dictionary<string, string> Fields, bool HasPassword);

    /// <summary>Each POST form with the values a browser would send untouched: hidden inputs, checked boxes, the first radio of a group.</summary>
    private static List<Form> Forms(Page page)
    {
        var forms = new List<Form>();
        foreach (Match m in FormPattern().Matches(page.Body))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var password = false;
            foreach (Match input in InputPattern().Matches(m.Groups["body"].Value))
            {
                var a = AttributePattern().Matches(input.Value)
                    .ToDictionary(x => x.Groups["key"].Value.ToLowerInvariant(), x => WebUtility.HtmlDecode(x.Groups["value"].Value));
                var type = a.GetValueOrDefault("type", "text");
                password |= type == "password";
                if (!a.TryGetValue("name", out var name))
                {
                    continue;
                }

                var isChecked = input.Value.Contains(" checked", StringComparison.OrdinalIgnoreCase);
                if (type == "hidden" || (type == "checkbox" && isChecked) || (type == "radio" && (isChecked || !fields.ContainsKey(name))))
                {
                    fields[name] = a.GetValueOrDefault("value", "on");
                }
            }

            forms.Add(new Form(new Uri(page.Uri, WebUtility.HtmlDecode(m.Groups["action"].Value)), fields, password));
        }

        return forms;
    }

    private static async Task<Page> PageAsync(HttpClient http, HttpMethod method, Uri uri, Dictionary<string, string>? form, Dictionary<string, string> jar)
    {
        var target = uri.IsAbsoluteUri ? uri : new Uri(http.BaseAddress!, uri);
        if (target.Host != http.BaseAddress!.Host || target.Port != http.BaseAddress.Port)
        {
            throw new InvalidOperationException($"refused to leave {http.BaseAddress.Authority} for {target.Authority}");
        }

        using var request = new HttpRequestMessage(method, target);
        if (jar.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        using var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var pair in cookies.Select(c => c.Split(';', 2)[0].Split('=', 2)).Where(p => p.Length == 2))
            {
                jar[pair[0]] = pair[1];
            }
        }

        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(target, l)) : null;
        return new Page(target, response.StatusCode, location, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>|<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*method=\"post\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("(?<key>[a-zA-Z_:-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex AttributePattern();
}
