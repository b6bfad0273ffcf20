using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Operator;

/// <summary>
/// Operators only (the Operator folder's policy): every client of this instance, and onboarding a new one with its first
/// API key and portal user. The work runs in a scope of its own, acting for no client, since it writes another client's rows.
/// </summary>
public sealed class ClientsModel(ConsentryDbContext db, IServiceScopeFactory scopes) : PortalPageModel
{
    public IReadOnlyList<Client> Clients { get; private set; } = [];

    public CreatedClient? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Clients = await db.Clients.AsNoTracking().OrderBy(c => c.Created).ThenBy(c => c.Id).ToListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? email, string? password, CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var (created, error) = await scope.ServiceProvider.GetRequiredService<PortalAccounts>()
                .CreateClientAsync(name ?? "", email ?? "", password ?? "", ct);
            Created = created;
            Error = error;
        }

        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await OnGetAsync(ct);
        return Page();
    }
}
