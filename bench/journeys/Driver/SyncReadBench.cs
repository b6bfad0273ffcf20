// The sync benchmark (bench/sync/run.sh): one company whose sandbox accounting platform holds N records in all. A
// journey links it; the clock runs from the moment the callback answers (the reads are queued in that transaction)
// until every data type's dataStatus is Complete. Then 1% of the invoices change and one incremental read is timed.
//
//   Driver sync --base http://localhost:5000 --key KEY [--records 50000] [--server-pid N] [--pg-pid N] [--out result.json]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JourneyDriver;

internal static class SyncReadBench
{
    private static readonly string[] Types = ["company", "chartOfAccounts", "customers", "invoices"];

    public static async Task<int> RunAsync(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            d[args[i].TrimStart('-')] = args[i + 1];
        }

        var baseUri = new Uri(d["base"]);
        var records = int.Parse(d.GetValueOrDefault("records", "50000"), CultureInfo.InvariantCulture);
        int? serverPid = d.TryGetValue("server-pid", out var sp) && sp.Length > 0 ? int.Parse(sp, CultureInfo.InvariantCulture) : null;
        int? pgPid = d.TryGetValue("pg-pid", out var pp) && pp.Length > 0 ? int.Parse(pp, CultureInfo.InvariantCulture) : null;
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
        {
            BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60),
        };
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(d["key"])));
        var client = new JourneyClient(http, auth);
        var control = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("consentry-local:consentry-local-secret")));
        var user = "user_good+bench" + Guid.NewGuid().ToString("N")[..10];

        await client.ApiAsync(HttpMethod.Put, "/profile", new JsonObject { ["name"] = "Sync bench", ["redirectUrl"] = "https://app.example/done?status={statusCode}", ["whiteListUrls"] = new JsonArray("https://app.example") });

        // Make the platform hold `records` records in all: the company object, its accounts, customers, and invoices.
        var counts = new Dictionary<string, int>();
        foreach (var collection in new[] { "accounts", "customers", "invoices" })
        {
            counts[collection] = (await ControlAsync(http, control, user, "records", new JsonObject { ["collection"] = collection }))["count"]!.GetValue<int>();
        }

        var add = records - 1 - counts.Values.Sum();
        if (add > 0)
        {
            counts["invoices"] = (await ControlAsync(http, control, user, "records", new JsonObject { ["collection"] = "invoices", ["add"] = add }))["count"]!.GetValue<int>();
        }

        var total = 1 + counts.Values.Sum();

        // Records stamped in the second the first read starts count as changed for the next read (platforms stamp whole
        // seconds, and Consentry asks for modifiedSince >= that second), so let that second pass.
        await Task.Delay(1100);
        var before = Cpu(serverPid, pgPid);
        var journey = await client.RunAsync(0, 0, "sbac", user);
        if (journey.Error is not null)
        {
            await Console.Error.WriteLineAsync($"The journey failed at {journey.Error.Step}: {journey.Error.Reason}");
            return 1;
        }

        var linkedAt = Stopwatch.GetTimestamp();
        var (full, firstRecordAt) = await WaitCompleteAsync(client, journey.CompanyId!, null, linkedAt);
        var fullSeconds = Stopwatch.GetElapsedTime(linkedAt, full).TotalSeconds;
        var afterFull = Cpu(serverPid, pgPid);

        // Incremental: 1% of the invoices change, then one read of the invoices.
        var changed = Math.Max(1, counts["invoices"] / 100);
        await ControlAsync(http, control, user, "records", new JsonObject { ["collection"] = "invoices", ["change"] = changed });
        var (status, body) = await client.ApiAsync(HttpMethod.Post, $"/companies/{journey.CompanyId}/data/queue/invoices");
        if (status != HttpStatusCode.OK)
        {
            await Console.Error.WriteLineAsync($"queue invoices answered {(int)status}: {body}");
            return 1;
        }

        var datasetId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var queuedAt = Stopwatch.GetTimestamp();
        var (incremental, _) = await WaitCompleteAsync(client, journey.CompanyId!, datasetId, queuedAt);
        var incrementalSeconds = Stopwatch.GetElapsedTime(queuedAt, incremental).TotalSeconds;

        var (_, stored) = await client.ApiAsync(HttpMethod.Get, $"/companies/{journey.CompanyId}/data/invoices?pageSize=1");
        var result = new JsonObject
        {
            ["records"] = total,
            ["invoices"] = counts["invoices"],
            ["storedInvoices"] = JsonNode.Parse(stored)!["totalResults"]!.GetValue<int>(),
            ["fullSeconds"] = Math.Round(fullSeconds, 3),
            ["firstRecordSeconds"] = Math.Round(firstRecordAt, 3),
            ["recordsPerSecond"] = Math.Round(total / fullSeconds, 0),
            ["serverCpuSeconds"] = Math.Round(afterFull.Server - before.Server, 2),
            ["postgresCpuSeconds"] = pgPid is null ? null : Math.Round(afterFull.Postgres - before.Postgres, 2),
            ["changed"] = changed,
            ["incrementalSeconds"] = Math.Round(incrementalSeconds, 3),
        };
        var json = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (d.TryGetValue("out", out var outPath))
        {
            await File.WriteAllTextAsync(outPath, json);
        }

        return 0;
    }

    /// <summary>Polls dataStatus every 20 ms until every type (or one dataset) is Complete; also when the first records arrived.</summary>
    private static async Task<(long At, double FirstRecordSeconds)> WaitCompleteAsync(JourneyClient client, string companyId, string? datasetId, long since)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        var firstRecord = double.NaN;
        while (DateTime.UtcNow < deadline)
        {
            var (_, body) = await client.ApiAsync(HttpMethod.Get, $"/companies/{companyId}/dataStatus");
            var status = JsonNode.Parse(body)!.AsObject();
            var now = Stopwatch.GetTimestamp();
            if (double.IsNaN(firstRecord) && status.Count > 0 && status.Any(s => s.Value!["currentStatus"]!.GetValue<string>() is "Fetching" or "Complete"))
            {
                firstRecord = Stopwatch.GetElapsedTime(since, now).TotalSeconds;
            }

            var errored = status.FirstOrDefault(s => s.Value!["currentStatus"]!.GetValue<string>() is not ("Queued" or "Fetching" or "Complete"));
            if (errored.Value is not null)
            {
                throw new InvalidOperationException($"{errored.Key} ended {errored.Value["currentStatus"]}");
            }

            var done = datasetId is null
                ? Types.All(t => status[t]?["currentStatus"]?.GetValue<string>() == "Complete")
                : status["invoices"]?["latestSuccessfulSyncId"]?.GetValue<string>() == datasetId;
            if (done)
            {
                return (now, firstRecord);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The read did not complete within 10 minutes.");
    }

    private static async Task<JsonNode> ControlAsync(HttpClient http, AuthenticationHeaderValue auth, string user, string control, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/sbac/control/users/{Uri.EscapeDataString(user)}/{control}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"sandbox control {control} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>User + system CPU seconds of the server and of PostgreSQL (the postmaster and its children), from /proc.</summary>
    private static (double Server, double Postgres) Cpu(int? serverPid, int? pgPid)
    {
        static double Of(int pid)
        {
            try
            {
                var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                return 0;
            }
        }

        var postgres = 0.0;
        if (pgPid is { } pg)
        {
            postgres = Of(pg);
            foreach (var dir in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)))
            {
                var pid = int.Parse(dir!, CultureInfo.InvariantCulture);
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (stat[1] == pg.ToString(CultureInfo.InvariantCulture))
                    {
                        postgres += Of(pid);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        return (serverPid is { } s ? Of(s) : 0, postgres);
    }
}
