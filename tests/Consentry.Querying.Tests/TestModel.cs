using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consentry.Querying.Tests;

public enum InvoiceStatus
{
    Draft,
    Submitted,
    Paid,
    Void,
}

/// <summary>An entity with one property of every kind the query language handles.</summary>
public sealed class Invoice
{
    public int Id { get; set; }

    public Guid ExternalId { get; set; }

    public required string Number { get; set; }

    public string? Note { get; set; }

    public int Quantity { get; set; }

    public decimal TotalAmount { get; set; }

    public double Rate { get; set; }

    public int? DiscountPercentage { get; set; }

    public DateTime IssueDate { get; set; }

    public DateTime? PaidOnDate { get; set; }

    public DateTimeOffset ModifiedDate { get; set; }

    public DateOnly DueDate { get; set; }

    public bool IsOverdue { get; set; }

    public InvoiceStatus Status { get; set; }

    public CustomerRef? CustomerRef { get; set; }

    public List<InvoiceLine> Lines { get; set; } = [];

    public List<InvoiceTag> Tags { get; set; } = [];
}

/// <summary>An owned single object: queried as customerRef.id.</summary>
public sealed class CustomerRef
{
    public required string Id { get; set; }

    public string? CompanyName { get; set; }
}

public sealed class InvoiceLine
{
    public int Id { get; set; }

    public required string Description { get; set; }

    public decimal Amount { get; set; }
}

public sealed class InvoiceTag
{
    public int Id { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<Invoice> Invoices => Set<Invoice>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var invoice = modelBuilder.Entity<Invoice>();
        invoice.OwnsOne(i => i.CustomerRef);
        invoice.HasMany(i => i.Lines).WithOne().HasForeignKey("InvoiceId");
        invoice.HasMany(i => i.Tags).WithOne().HasForeignKey("InvoiceId");

        // Stored by name, as an API that echoes Codat's enums would.
        invoice.Property(i => i.Status).HasConversion<string>();

        // SQLite cannot compare or order DateTimeOffset columns; EF's documented fix is a binary converter,
        // which keeps UTC values in order. PostgreSQL has timestamptz and needs none.
        if (Database.IsSqlite())
        {
            invoice.Property(i => i.ModifiedDate).HasConversion(new DateTimeOffsetToBinaryConverter());
        }
    }
}

/// <summary>The property maps under test, as an application would declare them.</summary>
public static class InvoiceQueries
{
    public static readonly QueryableProperties<CustomerRef> CustomerRefProperties = new QueryableProperties<CustomerRef>("CustomerRef")
        .Add("id", c => c.Id)
        .Add("companyName", c => c.CompanyName);

    public static readonly QueryableProperties<InvoiceLine> LineProperties = new QueryableProperties<InvoiceLine>("LineItem")
        .Add("description", l => l.Description)
        .Add("amount", l => l.Amount);

    /// <summary>Every property kind, no fallback: unknown names are errors.</summary>
    public static readonly QueryableProperties<Invoice> Properties = Create();

    /// <summary>As <see cref="Properties"/>, with unknown names treated as tag keys.</summary>
    public static readonly QueryableProperties<Invoice> WithTags = Create()
        .WithKeyValueCollection(i => i.Tags, t => t.Key, t => t.Value);

    private static QueryableProperties<Invoice> Create() => new QueryableProperties<Invoice>("Invoice")
        .Add("id", i => i.ExternalId)
        .Add("invoiceNumber", i => i.Number)
        .Add("note", i => i.Note)
        .Add("quantity", i => i.Quantity)
        .Add("totalAmount", i => i.TotalAmount)
        .Add("rate", i => i.Rate)
        .Add("discountPercentage", i => i.DiscountPercentage)
        .Add("issueDate", i => i.IssueDate)
        .Add("paidOnDate", i => i.PaidOnDate)
        .Add("modifiedDate", i => i.ModifiedDate)
        .Add("dueDate", i => i.DueDate)
        .Add("isOverdue", i => i.IsOverdue)
        .Add("status", i => i.Status)
        .AddNested("customerRef", i => i.CustomerRef, CustomerRefProperties)
        .AddCollection("lineItems", i => i.Lines, LineProperties);
}
