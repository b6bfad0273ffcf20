using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// Test controls of the Xero simulator (HTTP Basic with the simulator's client credentials), per user and organisation
/// (<c>{org}</c> is 1 or 2, the organisation's place in the user's list): queue 429s or 5xx, slow calls down, disconnect
/// a tenant, revoke refresh tokens, expire access tokens, delete or change records, and read the counters.
/// </summary>
internal static class XeroControl
{
    public static void Map(RouteGroupBuilder control, XeroSimulator sim)
    {
        control.RequireClient(sim.IsClient);

        control.MapGet("/users/{username}/orgs/{org:int}/stats", (string username, int org) =>
            Org(sim, username, org) is { } o ? Results.Json(Stats(sim, o)) : Results.NotFound());

        control.MapPost("/users/{username}/orgs/{org:int}/failures", (string username, int org, FailureBody body) =>
        {
            if (Org(sim, username, org) is not { } o)
            {
                return Results.NotFound();
            }

            o.QueueFailures(new XeroForcedFailure(body.Status, body.RetryAfterSeconds ?? 1, body.Problem), body.Count ?? 1);
            return Results.Ok(new { queued = body.Count ?? 1 });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/orgs/{org:int}/latency", (string username, int org, LatencyBody body) =>
        {
            if (Org(sim, username, org) is not { } o)
            {
                return Results.NotFound();
            }

            o.LatencyMilliseconds = Math.Clamp(body.Milliseconds, 0, 10_000);
            return Results.Ok(new { latencyMilliseconds = o.LatencyMilliseconds });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/orgs/{org:int}/disconnect", (string username, int org) =>
        {
            if (Org(sim, username, org) is not { } o)
            {
                return Results.NotFound();
            }

            var connections = sim.State.ConnectionsOf(username);
            lock (connections)
            {
                connections.RemoveAll(c => c.TenantId == o.Ref.TenantId);
            }

            return Results.Ok(new { disconnected = o.Ref.TenantId });
        }).DisableAntiforgery();

        // Deletes (Xero: Status DELETED; contacts and accounts: ARCHIVED) or changes the first records of a resource.
        control.MapPost("/users/{username}/orgs/{org:int}/{resource}/{change}", (string username, int org, string resource, string change, ChangeBody body) =>
        {
            if (Org(sim, username, org) is not { } o || o.Collection(resource) is not { } records || change is not ("delete" or "modify"))
            {
                return Results.NotFound();
            }

            var changed = new JsonArray();
            lock (o.Gate)
            {
                foreach (var record in records.Where(r => body.Type is null || (string?)r.Json["Type"] == body.Type).Take(body.Count))
                {
                    Change(record, resource, change == "delete", sim.Now);
                    changed.Add(record.Id);
                }
            }

            return Results.Ok(new JsonObject { ["changed"] = changed });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/refresh-tokens/revoke", (string username) =>
        {
            var revoked = 0;
            foreach (var token in sim.State.RefreshTokens.Values.Where(t => t.Grant.Username == username))
            {
                token.ExpiresAt = DateTime.MinValue;
                revoked++;
            }

            return Results.Ok(new { revoked });
        }).DisableAntiforgery();

        control.MapPost("/users/{username}/access-tokens/expire", (string username) =>
        {
            var expired = 0;
            foreach (var (key, token) in sim.State.AccessTokens.Where(t => t.Value.Grant.Username == username))
            {
                sim.State.AccessTokens[key] = token with { ExpiresAt = DateTime.MinValue };
                expired++;
            }

            return Results.Ok(new { expired });
        }).DisableAntiforgery();

        control.MapGet("/users/{username}/connections", (string username) =>
        {
            var connections = sim.State.ConnectionsOf(username);
            lock (connections)
            {
                return Results.Json(connections.Select(c => new { c.Id, c.TenantId, c.TenantName }).ToList());
            }
        });
    }

    private static void Change(XeroRecord record, string resource, bool delete, DateTime now)
    {
        var json = record.Json;
        switch (resource, delete)
        {
            case ("Invoices" or "Payments", true):
                json["Status"] = "DELETED";
                break;
            case ("Contacts", true):
                json["ContactStatus"] = "ARCHIVED";
                break;
            case ("Accounts", true):
                json["Status"] = "ARCHIVED";
                break;
            case ("Invoices", false):
                json["Reference"] = $"Changed {now:O}";
                break;
            case ("Contacts" or "Accounts", false):
                json["Name"] = $"{(string?)json["Name"]} (changed)";
                break;
            default:
                json["Reference"] = $"Changed {now:O}";
                break;
        }

        record.Touch(now);
    }

    private static JsonObject Stats(XeroSimulator sim, XeroOrganisation o)
    {
        lock (o.Gate)
        {
            var byResource = new JsonObject();
            foreach (var (resource, calls) in o.CallsByResource)
            {
                byResource[resource] = calls;
            }

            return new JsonObject
            {
                ["tenantId"] = o.Ref.TenantId,
                ["calls"] = o.Calls,
                ["maxConcurrent"] = o.MaxInFlight,
                ["callsByResource"] = byResource,
                ["connected"] = sim.State.Connected(o.Username, o.Ref.TenantId) is not null,
                ["invoices"] = o.Invoices.Count,
                ["contacts"] = o.Contacts.Count,
                ["accounts"] = o.Accounts.Count,
                ["payments"] = o.Payments.Count,
            };
        }
    }

    private static XeroOrganisation? Org(XeroSimulator sim, string username, int index) =>
        XeroUsers.BehaviourOf(username) is null ? null
            : XeroUsers.OrganisationsOf(username).FirstOrDefault(o => o.Index == index) is { } org ? sim.State.Organisation(org, username) : null;


    internal sealed record FailureBody(int Status, int? Count, int? RetryAfterSeconds, string? Problem);

    internal sealed record LatencyBody(int Milliseconds);

    internal sealed record ChangeBody(int Count, string? Type);
}
