using System.Text.RegularExpressions;
using Consentry.Core.Companies;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Settings;
using Consentry.Features.Companies;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>
/// Products (use cases): the client defines each one's data types (<c>/products</c>, ours), and a company uses some
/// (Codat's <c>PUT/DELETE /companies/{companyId}/products/{productIdentifier}</c>, 204). Adding one to a company whose
/// Linked connections were not consented for it makes Link ask the customer for additional consent; removing one
/// revokes its consents and stops the reads no other product needs.
/// </summary>
public static partial class ProductsEndpoints
{
    public static RouteGroupBuilder MapProductsApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");
        products.MapGet("/", List).WithName("list-products");
        products.MapGet("/{productIdentifier}", Get).WithName("get-product");
        products.MapPut("/{productIdentifier}", Put).WithName("put-product");
        products.MapDelete("/{productIdentifier}", Delete).WithName("delete-product");

        var company = api.MapGroup("/companies/{companyId:guid}/products").WithTags("Companies");
        company.MapPut("/{productIdentifier}", AddToCompany).WithName("add-product");
        company.MapDelete("/{productIdentifier}", RemoveFromCompany).WithName("remove-product");
        company.MapPost("/{productIdentifier}/refresh", RefreshProductData.Handle).WithName("refresh-product-data");
        return api;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex IdentifierPattern();

    private static async Task<Ok<ResultList<ProductResponse>>> List(ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        await PredefinedProducts.EnsureAsync(db, time, ct);
        return TypedResults.Ok(new ResultList<ProductResponse>(
            [.. (await db.Products.AsNoTracking().OrderBy(p => p.Identifier).ToListAsync(ct)).Select(p => p.ToResponse())]));
    }

    private static async Task<Results<Ok<ProductResponse>, CodatError>> Get(string productIdentifier, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (PredefinedProducts.IsPredefined(productIdentifier))
        {
            await PredefinedProducts.EnsureAsync(db, time, ct);
        }

        return await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Identifier == productIdentifier, ct) is { } product
            ? TypedResults.Ok(product.ToResponse())
            : new CodatError(NotFound(productIdentifier));
    }

    private static async Task<Results<Ok<ProductResponse>, CodatError>> Put(
        string productIdentifier, ProductRequest? body, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new List<string>();
        if (!IdentifierPattern().IsMatch(productIdentifier))
        {
            errors.Add("productIdentifier must be 1 to 50 lower-case letters, digits and dashes, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > Product.MaxName)
        {
            errors.Add($"name is required, at most {Product.MaxName} characters.");
        }

        if (body?.Description is { Length: > Product.MaxDescription })
        {
            errors.Add($"description must be at most {Product.MaxDescription} characters.");
        }

        if (body?.DataTypes is not { Count: > 0 } dataTypes || dataTypes.Count > DataTypes.All.Count)
        {
            errors.Add("dataTypes must list the data types the product reads (at least one).");
        }
        else if (dataTypes.Any(t => t is null || !DataTypes.IsKnown(t)))
        {
            var unknown = dataTypes.First(t => t is null || !DataTypes.IsKnown(t));
            errors.Add($"'{unknown}' is not a data type. Known data types: {string.Join(", ", DataTypes.All)}.");
        }

        if (errors.Count > 0)
        {
            return new CodatError(Error.Validation(string.Join(" ", errors), errors));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var product = await db.Products.FirstOrDefaultAsync(p => p.Identifier == productIdentifier, ct);
        if (product is null)
        {
            product = new Product { Id = Guid.CreateVersion7(), Identifier = productIdentifier, Name = "", Created = now };
            db.Products.Add(product);
        }

        // Changing a product's data types does not widen consents already given: they keep the types agreed to.
        product.Name = body!.Name!.Trim();
        product.Description = string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim();
        product.DataTypes = [.. body.DataTypes!.Distinct(StringComparer.Ordinal)];
        product.Updated = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.Entry(product).State == EntityState.Added)
        {
            return new CodatError(Error.Conflict($"Product '{productIdentifier}' was created by another request at the same time; try again."));
        }

        return TypedResults.Ok(product.ToResponse());
    }

    private static async Task<Results<NoContent, CodatError>> Delete(string productIdentifier, ConsentryDbContext db, CancellationToken ct)
    {
        if (PredefinedProducts.IsPredefined(productIdentifier))
        {
            return new CodatError(Error.Conflict(
                $"'{productIdentifier}' is one of Codat's products, which every client has; change its data types with PUT /products/{productIdentifier} instead."));
        }

        var product = await db.Products.FirstOrDefaultAsync(p => p.Identifier == productIdentifier, ct);
        if (product is null)
        {
            return new CodatError(NotFound(productIdentifier));
        }

        var used = await db.CompanyProducts.CountAsync(p => p.ProductIdentifier == productIdentifier, ct);
        if (used > 0)
        {
            return new CodatError(Error.Conflict(
                $"Product '{productIdentifier}' is used by {used} compan{(used == 1 ? "y" : "ies")}; remove it from them first (DELETE /companies/{{companyId}}/products/{productIdentifier})."));
        }

        db.Products.Remove(product);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, CodatError>> AddToCompany(
        Guid companyId, string productIdentifier, ConsentryDbContext db, WebhookOutbox events, TimeProvider time, CancellationToken ct)
    {
        if (PredefinedProducts.IsPredefined(productIdentifier))
        {
            await PredefinedProducts.EnsureAsync(db, time, ct);
        }

        var company = await db.Companies.Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (!await db.Products.AnyAsync(p => p.Identifier == productIdentifier, ct))
        {
            return new CodatError(NotFound(productIdentifier));
        }

        if (await db.CompanyProducts.AnyAsync(p => p.CompanyId == companyId && p.ProductIdentifier == productIdentifier, ct))
        {
            return TypedResults.NoContent();
        }

        db.CompanyProducts.Add(new CompanyProduct { CompanyId = companyId, ProductIdentifier = productIdentifier, Added = time.GetUtcNow().UtcDateTime });
        await events.ProductAsync(Core.Webhooks.WebhookEventTypes.CompanyProductAdded, company, productIdentifier, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Added by a concurrent request: the outcome the caller asked for holds.
            return TypedResults.NoContent();
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, CodatError>> RemoveFromCompany(
        Guid companyId, string productIdentifier, HttpContext http, ConsentryDbContext db, ConsentLedger ledger, WebhookOutbox events,
        CancellationToken ct)
    {
        var company = await db.Companies.Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var used = await db.CompanyProducts.FirstOrDefaultAsync(p => p.CompanyId == companyId && p.ProductIdentifier == productIdentifier, ct);
        if (used is null)
        {
            return new CodatError(Error.NotFound($"Company {companyId} does not use product '{productIdentifier}'."));
        }

        db.CompanyProducts.Remove(used);
        var who = ConsentActorInfo.From(http, ConsentActor.App);
        foreach (var connection in await db.Connections.Where(c => c.CompanyId == companyId).ToListAsync(ct))
        {
            await ledger.EndAsync(connection, productIdentifier, ConsentAction.Revoked, who, "The product was removed from the company.", ct);
        }

        await events.ProductAsync(Core.Webhooks.WebhookEventTypes.CompanyProductRemoved, company, productIdentifier, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static Error NotFound(string productIdentifier) =>
        Error.NotFound($"No product was found with identifier '{productIdentifier}': Codat's are {string.Join(", ", PredefinedProducts.All.Select(p => p.Identifier))}, and PUT /products/{{productIdentifier}} defines your own.");
}
