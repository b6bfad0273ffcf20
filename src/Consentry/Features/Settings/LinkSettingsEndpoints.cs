using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Settings;

/// <summary>
/// Our extension (Codat keeps these in its portal): <c>GET/PUT /settings/link</c>, how the hosted Link pages look and
/// behave; HTTP over <see cref="ManageLinkSettings"/>.
/// </summary>
internal static class LinkSettingsEndpoints
{
    public static async Task<Ok<LinkSettings>> Get(ConsentryDbContext db, CurrentClient current, CancellationToken ct) =>
        TypedResults.Ok(await ManageLinkSettings.GetAsync(db, current, ct));

    public static async Task<Results<Ok<LinkSettings>, CodatError>> Put(LinkSettings? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        var saved = await ManageLinkSettings.SaveAsync(body, db, current, ct);
        return saved.IsSuccess ? TypedResults.Ok(saved.Value!) : new CodatError(saved.Error!);
    }
}
