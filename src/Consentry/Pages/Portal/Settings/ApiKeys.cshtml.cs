using Consentry.Core.Persistence;
using Consentry.Features.ApiKeys;
using Consentry.Features.Portal;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace Consentry.Pages.Portal.Settings;

/// <summary>Settings › API keys: the same rules as /apiKeys (at most ten, never the last one deleted, a new key shown once).</summary>
public sealed class ApiKeysModel(ConsentryDbContext db, CurrentClient client, TimeProvider time, IMemoryCache cache) : PortalPageModel
{
    public IReadOnlyList<ApiKeyResponse> Keys { get; private set; } = [];

    public string? NewKey { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Keys = await ManageApiKeys.ListAsync(db, ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        var created = await ManageApiKeys.CreateAsync(new CreateApiKeyRequest(name), db, client, time, ct);
        if (created.IsSuccess)
        {
            // Shown on this response only (not via TempData, which would keep it in a cookie).
            NewKey = created.Value!.ApiKey;
        }
        else
        {
            Error = created.Error!.Message;
        }

        db.ChangeTracker.Clear();
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var error = await ManageApiKeys.DeleteAsync(id, db, cache, ct);
        return await OutcomeAsync(error, "API key deleted.", () => OnGetAsync(ct));
    }
}
