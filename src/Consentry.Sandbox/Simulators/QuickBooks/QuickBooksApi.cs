using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// The accounting API at <c>/v3/company/{realmId}</c>: <c>query</c>, <c>companyinfo/{realmId}</c> and <c>cdc</c>, with
/// Intuit's fault bodies (<c>{"Fault": {"Error": [{Message, Detail, code}], type}, time}</c>) for a bad query (400,
/// ValidationFault 4000), a bad or expired token (401, AuthenticationFailed 3200), a token of another company (403,
/// ApplicationAuthorizationFailed 3100) and throttling (429, ThrottleExceeded 3001, no Retry-After, as Intuit sends none).
/// </summary>
internal static class QuickBooksApi
{
    /// <summary>Intuit: Change Data Capture looks back at most 30 days.</summary>
    public static readonly TimeSpan CdcLookBack = TimeSpan.FromDays(30);

    public static Task<IResult> QueryAsync(HttpContext context, QuickBooksSimulator simulator, string realmId) =>
        GuardedAsync(context, simulator, realmId, (string?)context.Request.Query["query"], company =>
        {
            if (QuickBooksQuery.Parse(context.Request.Query["query"], out var error) is not { } query)
            {
                return Fault(simulator, 400, "ValidationFault", "4000", "Error parsing query", error);
            }

            var response = new JsonObject();
            if (query.Entity == "CompanyInfo")
            {
                response["CompanyInfo"] = new JsonArray(company.Info);
                response["startPosition"] = 1;
                response["maxResults"] = 1;
            }
            else
            {
                var (page, _) = company.Select(query.Entity, query.Matches, query.StartPosition, query.MaxResults);
                if (page.Count > 0)
                {
                    response[query.Entity] = new JsonArray([.. page]);
                    response["startPosition"] = query.StartPosition;
                    response["maxResults"] = page.Count;
                }
            }

            return Json(new JsonObject { ["QueryResponse"] = response, ["time"] = Now(simulator) });
        });

    public static Task<IResult> CompanyInfoAsync(HttpContext context, QuickBooksSimulator simulator, string realmId, string id) =>
        GuardedAsync(context, simulator, realmId, null, company => id == realmId
            ? Json(new JsonObject { ["CompanyInfo"] = company.Info, ["time"] = Now(simulator) })
            : Fault(simulator, 400, "ValidationFault", "610", "Object Not Found", $"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees."));

    public static Task<IResult> ChangesAsync(HttpContext context, QuickBooksSimulator simulator, string realmId) =>
        GuardedAsync(context, simulator, realmId, $"cdc {context.Request.QueryString}", company =>
        {
            var entities = ((string?)context.Request.Query["entities"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (entities.Length == 0 || entities.Any(e => !QuickBooksData.Entities.Contains(e, StringComparer.OrdinalIgnoreCase)))
            {
                return Fault(simulator, 400, "ValidationFault", "2010", "Request has invalid or unsupported property", "Property Name:entities specified is unsupported or invalid");
            }

            if (!DateTimeOffset.TryParse(context.Request.Query["changedSince"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
                || since < simulator.Time.GetUtcNow() - CdcLookBack)
            {
                return Fault(simulator, 400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                    "Property Name:changedSince specified is unsupported or invalid: it must be a date-time within the last 30 days");
            }

            var responses = new JsonArray();
            foreach (var requested in entities)
            {
                var entity = QuickBooksData.Entities.First(e => string.Equals(e, requested, StringComparison.OrdinalIgnoreCase));
                var changes = company.Changes(entity, since);
                responses.Add(changes.Count == 0 ? new JsonObject() : new JsonObject
                {
                    [entity] = new JsonArray([.. changes.Take(QuickBooksQuery.MaxPage)]),
                    ["startPosition"] = 1,
                    ["maxResults"] = Math.Min(changes.Count, QuickBooksQuery.MaxPage),
                    ["totalCount"] = Math.Min(changes.Count, QuickBooksQuery.MaxPage),
                });
            }

            return Json(new JsonObject
            {
                ["CDCResponse"] = new JsonArray(new JsonObject { ["QueryResponse"] = responses }),
                ["time"] = Now(simulator),
            });
        });

    /// <summary>Authenticates, applies switchable failures and Intuit's limits, counts the request, then answers.</summary>
    private static async Task<IResult> GuardedAsync(HttpContext context, QuickBooksSimulator simulator, string realmId, string? query, Func<SimulatedCompany, IResult> answer)
    {
        var header = (string?)context.Request.Headers.Authorization ?? "";
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : "";
        var (grant, expired) = simulator.Auth.ByAccessToken(token);
        if (grant is null || expired)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Intuit\", error=\"invalid_token\"";
            return Fault(simulator, 401, "AuthenticationFault", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                grant is null ? "Token invalid" : "Token expired: " + token[..Math.Min(8, token.Length)]);
        }

        if (grant.RealmId != realmId || simulator.Companies.Find(realmId) is not { } company || company.Disconnected)
        {
            return Fault(simulator, 403, "AuthorizationFault", "3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                "The application is not authorized to access this company.");
        }

        var traffic = simulator.TrafficOf(realmId);
        if (traffic.NextFailure() is { } failure)
        {
            if (failure.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return failure.Status == 429 ? Throttled(simulator) : Fault(simulator, failure.Status, "SystemFault", "10000",
                "An application error has occurred while processing your request", "System Failure Error: simulated outage");
        }

        if (!traffic.Enter(simulator.Time.GetUtcNow(), simulator.Options, query))
        {
            return Throttled(simulator);
        }

        try
        {
            // Yield once so that concurrent requests overlap here as they would at Intuit, and the count above means something.
            await Task.Yield();
            return answer(company);
        }
        finally
        {
            traffic.Leave();
        }
    }

    private static IResult Throttled(QuickBooksSimulator simulator) =>
        Fault(simulator, 429, "ThrottleExceeded", "3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", "The request limit was reached.");

    public static IResult Fault(QuickBooksSimulator simulator, int status, string type, string code, string message, string detail) =>
        Json(new JsonObject
        {
            ["Fault"] = new JsonObject
            {
                ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code }),
                ["type"] = type,
            },
            ["time"] = Now(simulator),
        }, status);

    private static string Now(QuickBooksSimulator simulator) =>
        simulator.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(-8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Content(node.ToJsonString(), "application/json;charset=UTF-8", System.Text.Encoding.UTF8, status);
}
