// The Link journey benchmark's driver: N virtual customers, each running complete journeys in a loop for a fixed time,
// over plain HTTP (no browser). One journey = create a company and a connection with the API key, then play the
// customer's browser: the consent page, Continue, the sandbox's login and consent pages, the callback (where Consentry
// exchanges the code with the sandbox over real HTTP) and the 302 back to the app, which is checked (statusCode=200)
// and never followed. See bench/journeys/run.sh and the "Link journeys" section of docs/benchmarks.md.
//
//   Driver --base http://localhost:5000 --key KEY [--concurrency 32] [--warmup 5] [--duration 30]
//          [--platforms sbac,sbbk,sbcm] [--spot-every 20] [--server-pid N] [--pg-pid N] [--out result.json]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JourneyDriver;

internal static partial class Program
{
    private const string AppOrigin = "https://app.example";
    private const string RedirectTemplate = AppOrigin + "/done?status={statusCode}";

    internal static readonly string[] StepNames =
        ["create_company", "create_connection", "start_page", "continue", "authorize", "login", "accept", "callback"];

    private static async Task<int> Main(string[] args)
    {
        if (args is ["sync", .. var rest])
        {
            return await SyncReadBench.RunAsync(rest);
        }

        if (args is ["platform", .. var platformArgs])
        {
            return await PlatformReadBench.RunAsync(platformArgs);
        }

        Options o;
        try
        {
            o = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = o.Concurrency * 2,
            UseProxy = false,
        })
        {
            BaseAddress = o.Base,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(o.ApiKey)));
        var client = new JourneyClient(http, auth);

        // Where Link sends the customer back: a template whose statusCode placeholder proves the outcome.
        var (profileStatus, profileBody) = await client.ApiAsync(HttpMethod.Put, "/profile",
            new JsonObject { ["name"] = "Journey bench", ["redirectUrl"] = RedirectTemplate, ["whiteListUrls"] = new JsonArray(AppOrigin) });
        if (profileStatus != HttpStatusCode.OK)
        {
            await Console.Error.WriteLineAsync($"PUT /profile answered {(int)profileStatus}: {Excerpt(profileBody)}");
            return 1;
        }

        // One journey alone, before any load: proves the path works (a cold server: not a latency figure).
        var first = await client.RunAsync(-1, 0, o.Platforms[0]);
        if (first.Error is not null)
        {
            await Console.Error.WriteLineAsync($"the first journey fails: {first.Error.Step}: {first.Error.Reason}\n{Excerpt(first.Error.Body)}");
            return 1;
        }

        var run = new RunState(o);
        var start = Stopwatch.GetTimestamp();
        run.Start = start;
        run.MeasureFrom = start + Ticks(o.Warmup);
        run.MeasureTo = run.MeasureFrom + Ticks(o.Duration);
        var sampler = Task.Run(async () =>
        {
            await Delay(run.MeasureFrom);
            run.CpuBefore = CpuSnapshot.Take(o);
            await Delay(run.MeasureTo);
            run.CpuAfter = CpuSnapshot.Take(o);
        });

        var users = Enumerable.Range(0, o.Concurrency).Select(vu => Task.Run(() => VirtualCustomerAsync(vu, client, run))).ToArray();
        await Task.WhenAll(users);
        await sampler;
        var finished = Stopwatch.GetTimestamp();

        // After the load: a sample of the linked connections must read Linked through the API.
        var sample = run.Linked.OrderBy(_ => Random.Shared.Next()).Take(o.FinalChecks).ToList();
        var finalFailures = 0;
        foreach (var (companyId, connectionId) in sample)
        {
            if (await client.CheckLinkedAsync(companyId, connectionId) is { } failure)
            {
                finalFailures++;
                run.AddError(new JourneyError("final_check", failure, ""), measured: false);
            }
        }

        // A few journeys alone on the warm server: what one journey costs without any concurrency.
        var single = new List<double>();
        for (var i = 0; i < o.SingleRuns; i++)
        {
            var r = await client.RunAsync(-2, i, o.Platforms[i % o.Platforms.Length]);
            if (r.Error is null)
            {
                single.Add(r.TotalMs);
            }
            else
            {
                run.AddError(r.Error, measured: false);
            }
        }

        var report = run.Report(first.TotalMs, single, sample.Count, finalFailures, Seconds(finished - start));
        var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (o.Out is not null)
        {
            await File.WriteAllTextAsync(o.Out, json);
        }

        Console.WriteLine(run.Summary(report));
        return 0;
    }

    private static async Task VirtualCustomerAsync(int vu, JourneyClient client, RunState run)
    {
        long n = 0;
        while (Stopwatch.GetTimestamp() < run.MeasureTo)
        {
            var platform = run.Options.Platforms[(int)((vu + n) % run.Options.Platforms.Length)];
            var result = await client.RunAsync(vu, n++, platform);
            var measured = result.End >= run.MeasureFrom && result.End <= run.MeasureTo;
            run.Record(result, measured);

            if (result.Error is not null)
            {
                // A failing server should not be hammered in a tight loop.
                await Task.Delay(50);
                continue;
            }

            if (run.NextSpotCheck())
            {
                var t0 = Stopwatch.GetTimestamp();
                var failure = await client.CheckLinkedAsync(result.CompanyId!, result.ConnectionId!);
                run.RecordSpotCheck(Ms(Stopwatch.GetTimestamp() - t0), failure, measured);
            }
        }
    }

    internal static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    internal static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    internal static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static async Task Delay(long until)
    {
        var wait = until - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(Seconds(wait)));
        }
    }

    internal static string Excerpt(string? text) =>
        text is null ? "" : WhiteSpace().Replace(text, " ").Trim() is { Length: > 300 } t ? t[..300] + "…" : WhiteSpace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

internal sealed record Options(
    Uri Base, string ApiKey, int Concurrency, double Warmup, double Duration, string[] Platforms, int SpotEvery, int FinalChecks,
    int SingleRuns, int? ServerPid, int? PgPid, int ClockTicks, string? Out)
{
    public static Options Parse(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"bad argument '{args[i]}' (every option is --name value)");
            }

            d[args[i][2..]] = args[++i];
        }

        string Need(string k) => d.TryGetValue(k, out var v) ? v : throw new ArgumentException($"--{k} is required");
        int Int(string k, int def) => d.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : def;
        double Dbl(string k, double def) => d.TryGetValue(k, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : def;
        int? Pid(string k) => d.TryGetValue(k, out var v) && v.Length > 0 ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        var o = new Options(
            new Uri(Need("base")), Need("key"), Int("concurrency", 32), Dbl("warmup", 5), Dbl("duration", 30),
            (d.GetValueOrDefault("platforms") ?? "sbac,sbbk,sbcm").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Int("spot-every", 20), Int("final-checks", 25), Int("single", 5), Pid("server-pid"), Pid("pg-pid"), Int("clk-tck", 100),
            d.GetValueOrDefault("out"));
        if (o.Concurrency is < 1 or > 1024 || o.Duration <= 0 || o.Warmup < 0 || o.Platforms.Length == 0 || o.SpotEvery < 1 || o.SingleRuns < 1)
        {
            throw new ArgumentException("out-of-range option");
        }

        return o;
    }
}

internal sealed record JourneyError(string Step, string Reason, string? Body);

internal sealed record JourneyResult(long Begin, long End, double[] StepMs, string? CompanyId, string? ConnectionId, int Requests, JourneyError? Error)
{
    public double TotalMs => Program.Ms(End - Begin);
}

internal sealed class JourneyStepFailed(string step, string reason, string? body) : Exception(reason)
{
    public JourneyError Error { get; } = new(step, reason, body);
}

/// <summary>One shared connection pool; a fresh cookie jar ("browser") per journey.</summary>
internal sealed partial class JourneyClient(HttpClient http, AuthenticationHeaderValue auth)
{
    public async Task<(HttpStatusCode Status, string Body)> ApiAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string?> CheckLinkedAsync(string companyId, string connectionId)
    {
        try
        {
            var (status, body) = await ApiAsync(HttpMethod.Get, $"/companies/{companyId}/connections/{connectionId}");
            if (status != HttpStatusCode.OK)
            {
                return $"GET connection answered {(int)status}";
            }

            var state = JsonNode.Parse(body)?["status"]?.GetValue<string>();
            return state == "Linked" ? null : $"connection status {state ?? "missing"}, expected Linked";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"GET connection: {e.GetType().Name}";
        }
    }

    public async Task<JourneyResult> RunAsync(int vu, long n, string platform, string username = "user_good")
    {
        var steps = new double[Program.StepNames.Length];
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        var begin = Stopwatch.GetTimestamp();
        string? companyId = null, connectionId = null;
        var requests = 0;
        var step = 0;
        try
        {
            // 1. The app: the customer signs up.
            var t = Stopwatch.GetTimestamp();
            var (status, body) = await ApiAsync(HttpMethod.Post, "/companies", new JsonObject { ["name"] = $"Journey {vu}-{n}" });
            requests++;
            Expect(step, status == HttpStatusCode.OK, $"POST /companies answered {(int)status}", body);
            companyId = JsonNode.Parse(body)?["id"]?.GetValue<string>();
            Expect(step, companyId is not null, "no company id", body);
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 2. The app: a connection, whose linkUrl the customer is sent to.
            t = Stopwatch.GetTimestamp();
            (status, body) = await ApiAsync(HttpMethod.Post, $"/companies/{companyId}/connections", new JsonObject { ["platformKey"] = platform });
            requests++;
            Expect(step, status == HttpStatusCode.OK, $"POST connections answered {(int)status}", body);
            var connection = JsonNode.Parse(body);
            connectionId = connection?["id"]?.GetValue<string>();
            var linkUrl = connection?["linkUrl"]?.GetValue<string>();
            Expect(step, connectionId is not null && linkUrl is not null, "no connection id or linkUrl", body);
            Expect(step, connection?["status"]?.GetValue<string>() == "PendingAuth", "new connection not PendingAuth", body);
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 3. The browser: the consent page (antiforgery cookie + token).
            t = Stopwatch.GetTimestamp();
            var page = await PageAsync(HttpMethod.Get, new Uri(linkUrl!), null, jar);
            requests++;
            Expect(step, page.Status == HttpStatusCode.OK, $"consent page answered {(int)page.Status}", page.Body);
            var form = FindForm(step, page, "handler=Continue");
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 4. Continue: the OAuth state is stored, the browser binding cookie set, and the browser sent to the sandbox.
            t = Stopwatch.GetTimestamp();
            page = await PageAsync(HttpMethod.Post, form.Action, form.Hidden, jar);
            requests++;
            Expect(step, page.Status == HttpStatusCode.Found && page.Location?.AbsolutePath == $"/sandbox/{platform}/oauth/authorize",
                $"Continue answered {(int)page.Status} to {page.Location?.AbsolutePath}", page.Body);
            Expect(step, jar.ContainsKey("__Host-consentry-link"), "no browser-binding cookie after Continue", null);
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 5. The sandbox's authorize endpoint: its login page.
            t = Stopwatch.GetTimestamp();
            page = await PageAsync(HttpMethod.Get, page.Location!, null, jar);
            requests++;
            Expect(step, page.Status == HttpStatusCode.OK, $"authorize answered {(int)page.Status}", page.Body);
            form = FindForm(step, page, "/oauth/login");
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 6. Sign in: the consent page.
            t = Stopwatch.GetTimestamp();
            var fields = new Dictionary<string, string>(form.Hidden) { ["username"] = username, ["password"] = "pass_good" };
            page = await PageAsync(HttpMethod.Post, form.Action, fields, jar);
            requests++;
            Expect(step, page.Status == HttpStatusCode.OK, $"login answered {(int)page.Status}", page.Body);
            form = FindForm(step, page, "/oauth/consent/accept");
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 7. Allow access: 302 to Consentry's callback with code, state and iss.
            t = Stopwatch.GetTimestamp();
            page = await PageAsync(HttpMethod.Post, form.Action, form.Hidden, jar);
            requests++;
            Expect(step, page.Status == HttpStatusCode.Found && page.Location?.AbsolutePath == $"/link/oauth/callback/{platform}"
                    && page.Location.Query.Contains("code=", StringComparison.Ordinal),
                $"accept answered {(int)page.Status} to {page.Location?.AbsolutePath}", page.Body);
            steps[step++] = Program.Ms(Stopwatch.GetTimestamp() - t);

            // 8. The callback: Consentry exchanges the code with the sandbox, links the connection, and sends the
            // customer back to the app. That last redirect is checked, not followed.
            t = Stopwatch.GetTimestamp();
            page = await PageAsync(HttpMethod.Get, page.Location!, null, jar);
            requests++;
            var back = page.Location;
            Expect(step, page.Status == HttpStatusCode.Found && back is not null && back.GetLeftPart(UriPartial.Path) == "https://app.example/done",
                $"callback answered {(int)page.Status} to {back?.GetLeftPart(UriPartial.Path)}", page.Body);
            Expect(step, back!.Query == "?status=200", $"back at the app with {back.Query}, expected ?status=200", null);
            steps[step] = Program.Ms(Stopwatch.GetTimestamp() - t);

            return new JourneyResult(begin, Stopwatch.GetTimestamp(), steps, companyId, connectionId, requests, null);
        }
        catch (JourneyStepFailed e)
        {
            return new JourneyResult(begin, Stopwatch.GetTimestamp(), steps, companyId, connectionId, requests, e.Error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or UriFormatException or InvalidOperationException)
        {
            var reason = e is TaskCanceledException ? "timeout (30 s)" : $"{e.GetType().Name}: {e.Message}";
            return new JourneyResult(begin, Stopwatch.GetTimestamp(), steps, companyId, connectionId, requests,
                new JourneyError(Program.StepNames[step], reason, null));
        }
    }

    private sealed record Page(Uri Uri, HttpStatusCode Status, Uri? Location, string Body);

    private sealed record Form(Uri Action, Dictionary<string, string> Hidden);

    private async Task<Page> PageAsync(HttpMethod method, Uri uri, Dictionary<string, string>? form, Dictionary<string, string> jar)
    {
        var target = uri.IsAbsoluteUri ? uri : new Uri(http.BaseAddress!, uri);
        if (target.Host != http.BaseAddress!.Host || target.Port != http.BaseAddress.Port)
        {
            // Everything but the app's own redirect stays on this host; never send traffic anywhere else.
            throw new JourneyStepFailed("navigation", $"refused to leave {http.BaseAddress.Authority} for {target.Authority}", null);
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
            foreach (var header in cookies)
            {
                var pair = header.Split(';', 2)[0].Split('=', 2);
                if (pair.Length != 2)
                {
                    continue;
                }

                if (header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase)
                    || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    jar.Remove(pair[0]);
                }
                else
                {
                    jar[pair[0]] = pair[1];
                }
            }
        }

        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(target, l)) : null;
        return new Page(target, response.StatusCode, location, await response.Content.ReadAsStringAsync());
    }

    private static Form FindForm(int step, Page page, string actionContains)
    {
        foreach (Match m in FormPattern().Matches(page.Body))
        {
            var action = WebUtility.HtmlDecode(m.Groups["action"].Value);
            if (!action.Contains(actionContains, StringComparison.Ordinal))
            {
                continue;
            }

            var hidden = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in InputPattern().Matches(m.Groups["body"].Value))
            {
                var attributes = AttributePattern().Matches(input.Value)
                    .ToDictionary(a => a.Groups["key"].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups["value"].Value));
                if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var name))
                {
                    hidden[name] = attributes.GetValueOrDefault("value", "");
                }
            }

            return new Form(new Uri(page.Uri, action), hidden);
        }

        throw new JourneyStepFailed(Program.StepNames[step], $"no form with action containing '{actionContains}'", page.Body);
    }

    private static void Expect(int step, bool condition, string reason, string? body)
    {
        if (!condition)
        {
            throw new JourneyStepFailed(Program.StepNames[step], reason, body);
        }
    }

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("(?<key>[a-zA-Z_:-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex AttributePattern();
}

/// <summary>CPU time (seconds) of the server, of PostgreSQL (postmaster + backends), of this driver and of the machine.</summary>
internal sealed record CpuSnapshot(long At, double? Server, double? Postgres, double Driver, double MachineBusy, double MachineTotal)
{
    public static CpuSnapshot Take(Options o)
    {
        double? server = o.ServerPid is { } s ? Proc(s, o.ClockTicks, children: false) : null;
        double? pg = null;
        if (o.PgPid is { } pm && Proc(pm, o.ClockTicks, children: true) is { } own)
        {
            pg = own;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != pm && Stat(pid) is { } f && f[1] == pm.ToString(CultureInfo.InvariantCulture))
                {
                    pg += (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / (double)o.ClockTicks;
                }
            }
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Sum() / (double)o.ClockTicks;
        var idle = (cpu[3] + cpu[4]) / (double)o.ClockTicks;
        return new CpuSnapshot(Stopwatch.GetTimestamp(), server, pg, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, total - idle, total);
    }

    /// <summary>Fields of /proc/pid/stat from the state on (index 0 = field 3), or null when the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? Proc(int pid, int hz, bool children)
    {
        if (Stat(pid) is not { } f)
        {
            return null;
        }

        long P(int field) => long.Parse(f[field - 3], CultureInfo.InvariantCulture);
        return (P(14) + P(15) + (children ? P(16) + P(17) : 0)) / (double)hz;
    }
}

internal sealed class RunState(Options options)
{
    private readonly Lock _gate = new();
    private readonly List<double> _journeyMs = [];
    private readonly List<double>[] _stepMs = [.. Program.StepNames.Select(_ => new List<double>())];
    private readonly List<double> _spotMs = [];
    private readonly Dictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _warmupErrors = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _errorSamples = [];
    private readonly Dictionary<int, int> _perSecond = [];
    private long _spotCounter;
    private int _spotFailures;
    private int _spotChecks;
    private long _requests;
    private int _measuredOk;
    private int _allOk;
    private int _allFailed;
    private int _tail;

    public Options Options { get; } = options;

    public long Start { get; set; }

    public long MeasureFrom { get; set; }

    public long MeasureTo { get; set; }

    public CpuSnapshot? CpuBefore { get; set; }

    public CpuSnapshot? CpuAfter { get; set; }

    public List<(string CompanyId, string ConnectionId)> Linked { get; } = [];

    public bool NextSpotCheck() => Interlocked.Increment(ref _spotCounter) % Options.SpotEvery == 0;

    public void Record(JourneyResult r, bool measured)
    {
        lock (_gate)
        {
            if (r.Error is null)
            {
                _allOk++;
                Linked.Add((r.CompanyId!, r.ConnectionId!));
            }
            else
            {
                _allFailed++;
            }

            if (r.End > MeasureTo)
            {
                _tail++;
            }

            if (!measured)
            {
                if (r.Error is not null && r.End < MeasureFrom)
                {
                    Count(_warmupErrors, r.Error);
                }

                return;
            }

            _requests += r.Requests;
            var second = (int)Program.Seconds(r.End - MeasureFrom);
            if (r.Error is null)
            {
                _measuredOk++;
                _perSecond[second] = _perSecond.GetValueOrDefault(second) + 1;
                _journeyMs.Add(r.TotalMs);
                for (var i = 0; i < r.StepMs.Length; i++)
                {
                    _stepMs[i].Add(r.StepMs[i]);
                }
            }
            else
            {
                AddErrorLocked(r.Error);
            }
        }
    }

    public void RecordSpotCheck(double ms, string? failure, bool measured)
    {
        lock (_gate)
        {
            _spotChecks++;
            _spotMs.Add(ms);
            if (failure is not null)
            {
                _spotFailures++;
                if (measured)
                {
                    AddErrorLocked(new JourneyError("spot_check", failure, null));
                }
            }
        }
    }

    public void AddError(JourneyError e, bool measured)
    {
        lock (_gate)
        {
            if (measured)
            {
                AddErrorLocked(e);
            }
            else
            {
                Count(_warmupErrors, e);
                if (_errorSamples.Count < 5)
                {
                    _errorSamples.Add(new JsonObject { ["step"] = e.Step, ["reason"] = e.Reason, ["body"] = Program.Excerpt(e.Body) });
                }
            }
        }
    }

    private void AddErrorLocked(JourneyError e)
    {
        Count(_errors, e);
        if (_errorSamples.Count < 5)
        {
            _errorSamples.Add(new JsonObject { ["step"] = e.Step, ["reason"] = e.Reason, ["body"] = Program.Excerpt(e.Body) });
        }
    }

    private static void Count(Dictionary<string, int> into, JourneyError e)
    {
        var key = $"{e.Step}: {e.Reason}";
        into[key] = into.GetValueOrDefault(key) + 1;
    }

    private static double Pct(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static JsonObject Stats(List<double> v) => new()
    {
        ["count"] = v.Count,
        ["mean_ms"] = v.Count == 0 ? null : Math.Round(v.Average(), 2),
        ["p50_ms"] = v.Count == 0 ? null : Math.Round(Pct(v, 50), 2),
        ["p90_ms"] = v.Count == 0 ? null : Math.Round(Pct(v, 90), 2),
        ["p99_ms"] = v.Count == 0 ? null : Math.Round(Pct(v, 99), 2),
        ["max_ms"] = v.Count == 0 ? null : Math.Round(v.Max(), 2),
    };

    public JsonObject Report(double firstMs, List<double> single, int finalChecked, int finalFailures, double elapsed)
    {
        lock (_gate)
        {
            var duration = Options.Duration;
            var errors = _errors.Values.Sum();
            var steps = new JsonObject();
            for (var i = 0; i < Program.StepNames.Length; i++)
            {
                steps[Program.StepNames[i]] = Stats(_stepMs[i]);
            }

            var timeline = new JsonArray([.. Enumerable.Range(0, (int)Math.Ceiling(duration)).Select(s => (JsonNode)_perSecond.GetValueOrDefault(s))]);
            JsonObject? cpu = null;
            if (CpuBefore is { } b && CpuAfter is { } a)
            {
                var wall = Program.Seconds(a.At - b.At);
                var machine = a.MachineTotal - b.MachineTotal;
                double? Per(double? x, double? y) => x is { } xa && y is { } ya && _measuredOk > 0 ? Math.Round((xa - ya) * 1000 / _measuredOk, 3) : null;
                double? Cores(double? x, double? y) => x is { } xa && y is { } ya ? Math.Round((xa - ya) / wall, 3) : null;
                var busy = a.MachineBusy - b.MachineBusy;
                var known = (a.Server - b.Server ?? 0) + (a.Postgres - b.Postgres ?? 0) + (a.Driver - b.Driver);
                cpu = new JsonObject
                {
                    ["wall_s"] = Math.Round(wall, 3),
                    ["cores"] = Environment.ProcessorCount,
                    ["server_cores"] = Cores(a.Server, b.Server),
                    ["postgres_cores"] = Cores(a.Postgres, b.Postgres),
                    ["driver_cores"] = Cores(a.Driver, b.Driver),
                    ["machine_busy_cores"] = Math.Round(busy / wall, 3),
                    ["other_cores"] = Math.Round(Math.Max(0, busy - known) / wall, 3),
                    ["machine_busy_share"] = machine > 0 ? Math.Round(busy / machine, 3) : null,
                    ["server_ms_per_journey"] = Per(a.Server, b.Server),
                    ["postgres_ms_per_journey"] = Per(a.Postgres, b.Postgres),
                    ["driver_ms_per_journey"] = Per(a.Driver, b.Driver),
                };
            }

            return new JsonObject
            {
                ["concurrency"] = Options.Concurrency,
                ["warmup_s"] = Options.Warmup,
                ["duration_s"] = duration,
                ["platforms"] = string.Join(",", Options.Platforms),
                ["journeys_ok"] = _measuredOk,
                ["journeys_failed"] = errors - _errors.Where(e => e.Key.StartsWith("spot_check", StringComparison.Ordinal)).Sum(e => e.Value),
                ["errors"] = errors,
                ["journeys_per_s"] = Math.Round(_measuredOk / duration, 2),
                ["requests_per_journey"] = _measuredOk + errors > 0 ? Math.Round(_requests / (double)Math.Max(1, _measuredOk + errors), 2) : null,
                ["http_requests_per_s"] = Math.Round(_requests / duration, 1),
                ["journey"] = Stats(_journeyMs),
                ["steps"] = steps,
                ["first_journey_ms"] = Math.Round(firstMs, 2),
                ["single_journey_ms"] = new JsonArray([.. single.Select(x => (JsonNode)Math.Round(x, 2))]),
                ["single_journey_median_ms"] = single.Count == 0 ? null : Math.Round(Pct(single, 50), 2),
                ["per_second"] = timeline,
                ["cpu"] = cpu,
                ["spot_checks"] = _spotChecks,
                ["spot_check_failures"] = _spotFailures,
                ["spot_check"] = Stats(_spotMs),
                ["final_checks"] = finalChecked,
                ["final_check_failures"] = finalFailures,
                ["all_journeys_ok"] = _allOk + 1 + single.Count,
                ["all_journeys_failed"] = _allFailed,
                ["journeys_after_end"] = _tail,
                ["error_kinds"] = new JsonObject([.. _errors.OrderByDescending(e => e.Value).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
                ["unmeasured_error_kinds"] = new JsonObject([.. _warmupErrors.OrderByDescending(e => e.Value).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
                ["error_samples"] = new JsonArray([.. _errorSamples.Select(e => (JsonNode)e.DeepClone())]),
                ["elapsed_s"] = Math.Round(elapsed, 2),
            };
        }
    }

    public string Summary(JsonObject r)
    {
        var s = new StringBuilder();
        var j = r["journey"]!;
        s.Append(CultureInfo.InvariantCulture, $"{r["journeys_per_s"]} journeys/s ({r["journeys_ok"]} in {r["duration_s"]} s, {Options.Concurrency} customers), ");
        s.Append(CultureInfo.InvariantCulture, $"p50 {j["p50_ms"]} ms, p99 {j["p99_ms"]} ms, errors {r["errors"]}, ");
        s.AppendLine(CultureInfo.InvariantCulture, $"{r["requests_per_journey"]} requests/journey, spot checks {r["spot_checks"]} ({r["spot_check_failures"]} failed), final checks {r["final_checks"]} ({r["final_check_failures"]} failed)");
        foreach (var (name, st) in r["steps"]!.AsObject())
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  {name,-18} p50 {st!["p50_ms"],8} ms  p99 {st["p99_ms"],8} ms");
        }

        if (r["cpu"] is { } c)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  cpu: server {c["server_cores"]} cores ({c["server_ms_per_journey"]} ms/journey), postgres {c["postgres_cores"]} ({c["postgres_ms_per_journey"]} ms/journey), driver {c["driver_cores"]}, other {c["other_cores"]}");
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"  per second: {r["per_second"]!.ToJsonString()}");
        s.AppendLine(CultureInfo.InvariantCulture, $"  alone (warm): {r["single_journey_ms"]!.ToJsonString()} ms; first (cold) {r["first_journey_ms"]} ms; journeys after the window {r["journeys_after_end"]}");
        foreach (var (k, v) in r["unmeasured_error_kinds"]!.AsObject())
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  outside the window, error x{v}: {k}");
        }

        foreach (var (k, v) in r["error_kinds"]!.AsObject())
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  error x{v}: {k}");
        }

        return s.ToString();
    }
}
