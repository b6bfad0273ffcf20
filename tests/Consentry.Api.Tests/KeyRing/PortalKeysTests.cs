using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Portal;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.KeyRing;

/// <summary>The portal's operator button starts the same rotation as the command line.</summary>
public sealed partial class PortalKeysTests(SqlitePortalApp app) : IClassFixture<SqlitePortalApp>
{
    [Fact]
    public async Task Operator_RotatesTheKey_FromThePortal_AndSeesTheRotation()
    {
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        using var rotated = await session.SubmitAsync("/portal/operator/keys", "/portal/operator/keys?handler=Rotate", new() { ["revokeOldKeys"] = "false" });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var html = await rotated.Content.ReadAsStringAsync();
        var rotationId = Guid.Parse(RotationId().Match(html).Groups[1].Value);
        var rotation = await app.WithDbAsync(db => db.KeyRotations.AsNoTracking().SingleAsync(r => r.Id == rotationId));
        Assert.False(rotation.RevokeOldKeys);
        Assert.Contains(rotation.NewKeyId.ToString(), await session.GetAsync("/portal/operator/keys"), StringComparison.Ordinal);

        // Without the form's antiforgery token nothing happens.
        using var forged = await session.PostAsync("/portal/operator/keys?handler=Rotate", null, new() { ["revokeOldKeys"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.KeyRotations.CountAsync()));
    }

    [GeneratedRegex("id=\"rotation-id\">([^<]+)<")]
    private static partial Regex RotationId();
}
