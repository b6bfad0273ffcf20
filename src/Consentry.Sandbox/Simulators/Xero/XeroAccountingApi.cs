using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// api.xero.com/api.xro/2.0: Organisation, Accounts, Contacts, Invoices and Payments as Xero serves them. Every call needs
/// a bearer token, a connected <c>xero-tenant-id</c> and a scope that covers the resource (else 401/403 with Xero's problem
/// body); collections take <c>page</c> and <c>pageSize</c> (100 by default, at most 1,000) and answer a
/// <c>pagination</c> object; <c>If-Modified-Since</c> returns only what changed after it; <c>where</c> understands
/// <c>Field==value</c> clauses joined by AND. Each answer carries Xero's X-MinLimit-Remaining / X-DayLimit-Remaining.
/// </summary>
internal static class XeroAccountingApi
{
    private static readonly Dictionary<string, string[]> ScopesFor = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Organisation"] = ["accounting.settings", "accounting.settings.read"],
        ["Accounts"] = ["accounting.settings", "accounting.settings.read"],
        ["Contacts"] = ["accounting.contacts", "accounting.contacts.read"],
        ["Invoices"] = ["accounting.transactions", "accounting.transactions.read", "accounting.invoices", "accounting.invoices.read"],
        ["Payments"] = ["accounting.transactions", "accounting.transactions.read", "accounting.payments", "accounting.payments.read"],
    };

    public static async Task<IResult> GetAsync(HttpContext context, XeroSimulator sim, string resource)
    {
        if (!ScopesFor.TryGetValue(resource, out var scopes))
        {
            return Problem(context, StatusCodes.Status404NotFound, "Not Found", $"The resource {resource} is not available.");
        }

        resource = ScopesFor.Keys.First(k => string.Equals(k, resource, StringComparison.OrdinalIgnoreCase));
        if (XeroTokenEndpoints.Bearer(context, sim) is not { } grant)
        {
            return Unauthorized(context);
        }

        // A tenant the user disconnected (or never connected) answers as Xero does for a removed app.
        var tenantId = context.Request.Headers["xero-tenant-id"].ToString();
        if (sim.State.Connected(grant.Username, tenantId) is null || sim.OrganisationOf(grant.Username, tenantId) is not { } org)
        {
            return Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "AuthenticationUnsuccessful");
        }

        if (!scopes.Any(grant.Scopes.Contains))
        {
            return Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "AuthorizationUnsuccessful");
        }

        var (refusal, minuteRemaining, dayRemaining) = org.Begin(resource, sim.Now, sim.Options);
        context.Response.Headers["X-MinLimit-Remaining"] = minuteRemaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-DayLimit-Remaining"] = dayRemaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-AppMinLimit-Remaining"] = "9999";
        if (refusal is not null)
        {
            return Refuse(context, refusal);
        }

        try
        {
            if (org.LatencyMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(org.LatencyMilliseconds), context.RequestAborted);
            }

            return Answer(context, sim, org, resource);
        }
        finally
        {
            org.End();
        }
    }

    public static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Problem(context, StatusCodes.Status401Unauthorized, "Unauthorized", "TokenExpired: token expired or not valid");
    }

    private static IResult Answer(HttpContext context, XeroSimulator sim, XeroOrganisation org, string resource)
    {
        var envelope = new JsonObject
        {
            ["Id"] = Guid.NewGuid().ToString(),
            ["Status"] = "OK",
            ["ProviderName"] = "Consentry",
            ["DateTimeUTC"] = XeroDates.Format(sim.Now),
        };
        if (resource == "Organisation")
        {
            lock (org.Gate)
            {
                envelope["Organisations"] = new JsonArray(org.Organisation.DeepClone());
            }

            return Json(envelope);
        }

        var query = context.Request.Query;
        if (!XeroWhere.TryParse(query["where"], out var where, out var whereError))
        {
            return Json(new JsonObject { ["ErrorNumber"] = 16, ["Type"] = "QueryParseException", ["Message"] = whereError }, StatusCodes.Status400BadRequest);
        }

        var since = XeroDates.ParseHeader(context.Request.Headers.IfModifiedSince.ToString());
        var includeArchived = string.Equals(query["includeArchived"], "true", StringComparison.OrdinalIgnoreCase);
        // Filter under the lock, then copy only the page that is answered (records can change while it is written).
        lock (org.Gate)
        {
            var matches = org.Collection(resource)!
                .Where(r => since is null || r.Updated > since)
                // Archived contacts come only when asked for, or in a read of what changed.
                .Where(r => resource != "Contacts" || includeArchived || since is not null || (string?)r.Json["ContactStatus"] != "ARCHIVED")
                .Where(r => where(r.Json))
                .ToList();

            // Accounts are not paged at Xero: one answer has them all.
            var hasPage = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0;
            if (hasPage && resource != "Accounts")
            {
                var pageSize = int.TryParse(query["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? Math.Min(size, 1000) : 100;
                envelope["pagination"] = new JsonObject
                {
                    ["page"] = page, ["pageSize"] = pageSize, ["pageCount"] = (matches.Count + pageSize - 1) / pageSize, ["itemCount"] = matches.Count,
                };
                matches = [.. matches.Skip((page - 1) * pageSize).Take(pageSize)];
            }

            envelope[resource] = new JsonArray([.. matches.Select(r => r.Json.DeepClone())]);
        }

        return Json(envelope);
    }

    private static IResult Refuse(HttpContext context, XeroForcedFailure refusal)
    {
        if (refusal.Status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Rate-Limit-Problem"] = refusal.Problem ?? "minute";
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        return Problem(context, refusal.Status, "Server Error", "An error occurred in Xero (simulated).");
    }

    /// <summary>Xero's problem body: <c>{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful",…}</c>.</summary>
    private static IResult Problem(HttpContext context, int status, string title, string detail) => Json(new JsonObject
    {
        ["Type"] = null,
        ["Title"] = title,
        ["Status"] = status,
        ["Detail"] = detail,
        ["Instance"] = context.TraceIdentifier,
        ["Extensions"] = new JsonObject(),
    }, status);

    private static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
}

/// <summary>The subset of Xero's <c>where</c> filter the simulator understands: <c>Type=="ACCREC" AND IsCustomer==true</c>.</summary>
internal static class XeroWhere
{
    public static bool TryParse(string? text, out Func<JsonObject, bool> predicate, out string? error)
    {
        predicate = _ => true;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var tests = new List<Func<JsonObject, bool>>();
        foreach (var clause in text.Split([" AND ", "&&"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = clause.IndexOf("==", StringComparison.Ordinal);
            if (at <= 0)
            {
                error = $"Cannot parse the where clause: {clause}";
                return false;
            }

            var field = clause[..at].Trim();
            var value = clause[(at + 2)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                var expected = value[1..^1];
                tests.Add(r => r[field] is JsonValue v && v.TryGetValue<string>(out var s) && s == expected);
            }
            else if (bool.TryParse(value, out var flag))
            {
                tests.Add(r => r[field] is JsonValue v && v.TryGetValue<bool>(out var b) && b == flag);
            }
            else
            {
                error = $"Cannot parse the value of {field}: {value}";
                return false;
            }
        }

        predicate = r => tests.All(t => t(r));
        return true;
    }
}
