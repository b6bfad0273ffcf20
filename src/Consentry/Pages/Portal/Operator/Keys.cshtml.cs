using Consentry.Core.Security;
using Consentry.Features.KeyRing;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Operator;

/// <summary>
/// Operators only (the Operator folder's policy): the key rotations and their progress, and the button that starts one
/// (the same action as <c>dotnet Consentry.dll rotate-keys</c>; see docs/security.md).
/// </summary>
public sealed class KeysModel(KeyRotator rotations) : PortalPageModel
{
    public IReadOnlyList<(KeyRotation Rotation, IReadOnlyList<KeyRotationCursor> Cursors)> Rotations { get; private set; } = [];

    public KeyRotation? Started { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Rotations = await rotations.ListAsync(ct);

    public async Task<IActionResult> OnPostRotateAsync(bool revokeOldKeys, CancellationToken ct)
    {
        Started = await rotations.StartAsync(revokeOldKeys, ct);
        await OnGetAsync(ct);
        return Page();
    }
}
