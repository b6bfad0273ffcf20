using Consentry.Core.Clients;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Domain;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Settings;

/// <summary>Codat's <c>Profile</c>.</summary>
public sealed record ProfileDto(string? Name, string? LogoUrl, string? IconUrl, string? RedirectUrl, IReadOnlyList<string>? WhiteListUrls);

/// <summary>
/// <c>GET/PUT /profile</c>: the client's name, branding and Link redirect template with its allow-list. The use cases
/// (<see cref="GetAsync"/>, <see cref="SaveAsync"/>) answer the profile or why not; the handlers and the portal's
/// Redirects page adapt them.
/// </summary>
internal static class ProfileSettings
{
    public static async Task<Ok<ProfileDto>> Get(IClientCache clients, CurrentClient current, CancellationToken ct) =>
        TypedResults.Ok(await GetAsync(clients, current, ct));

    public static async Task<Results<Ok<ProfileDto>, CodatError>> Put(
        ProfileDto? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        var saved = await SaveAsync(body, db, current, ct);
        return saved.IsSuccess ? TypedResults.Ok(saved.Value!) : new CodatError(saved.Error!);
    }

    public static async Task<ProfileDto> GetAsync(IClientCache clients, CurrentClient current, CancellationToken ct)
    {
        var client = await clients.GetAsync(current.Id, ct) ?? throw new InvalidOperationException("The authenticated client has no row.");
        return ToDto(client);
    }

    public static async Task<Result<ProfileDto>> SaveAsync(ProfileDto? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        if (body is null)
        {
            return Error.Validation("A JSON body is required: {name, redirectUrl, logoUrl, iconUrl, whiteListUrls}.");
        }

        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return Error.Validation(string.Join(" ", errors), errors);
        }

        var client = await db.Clients.FirstAsync(c => c.Id == current.Id, ct);
        client.Name = body.Name!.Trim();
        client.Profile.LogoUrl = NullIfEmpty(body.LogoUrl);
        client.Profile.IconUrl = NullIfEmpty(body.IconUrl);
        client.Profile.RedirectUrl = body.RedirectUrl?.Trim() ?? "";
        client.Profile.WhiteListUrls = [.. (body.WhiteListUrls ?? []).Select(u => u.Trim()).Distinct(StringComparer.Ordinal)];
        await db.SaveChangesAsync(ct);
        return ToDto(client);
    }

    private static List<string> Validate(ProfileDto body)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
        {
            errors.Add("name is required and must be at most 200 characters.");
        }

        if (!string.IsNullOrWhiteSpace(body.RedirectUrl) && (body.RedirectUrl.Length > 2048 || !UrlRules.IsRedirectTemplate(body.RedirectUrl.Trim())))
        {
            errors.Add("redirectUrl must be an absolute http(s) URL; {placeholders} such as {companyId} are allowed.");
        }

        foreach (var (field, value) in new[] { ("logoUrl", body.LogoUrl), ("iconUrl", body.IconUrl) })
        {
            if (!string.IsNullOrWhiteSpace(value) && (value.Length > 2048 || !UrlRules.IsHttpUrl(value.Trim())))
            {
                errors.Add($"{field} must be an absolute http(s) URL.");
            }
        }

        var allowed = body.WhiteListUrls ?? [];
        if (allowed.Count > UrlRules.MaxEntries)
        {
            errors.Add($"whiteListUrls can hold at most {UrlRules.MaxEntries} URLs.");
        }

        errors.AddRange(allowed.Where(u => u is null || u.Length > 2048 || !UrlRules.IsAllowListEntry(u.Trim()))
            .Select(u => $"whiteListUrls entry '{u}' is not an absolute http(s) URL without a user name."));
        if (errors.Count == 0 && !string.IsNullOrWhiteSpace(body.RedirectUrl)
            && UrlRules.RedirectProblem(body.RedirectUrl.Trim(), [.. allowed.Select(u => u.Trim())]) is { } problem)
        {
            errors.Add(problem);
        }

        return errors;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ProfileDto ToDto(Client c) =>
        new(c.Name, c.Profile.LogoUrl, c.Profile.IconUrl, c.Profile.RedirectUrl, [.. c.Profile.WhiteListUrls]); // a copy: the cached row is shared
}
