namespace Consentry.Querying.Tests;

/// <summary>Five invoices chosen so that every operator separates them differently.</summary>
public static class TestData
{
    public static readonly Guid Invoice3Id = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    private static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    public static List<Invoice> Invoices() =>
    [
        new()
        {
            Number = "INV-001", ExternalId = Guid.Parse("0b9c1a36-6a7e-4d0e-8a53-1b2c3d4e5f01"),
            Note = "Urgent delivery", Quantity = 1, TotalAmount = 100.00m, Rate = 0.5, DiscountPercentage = 10,
            IssueDate = Utc(2024, 1, 1), PaidOnDate = Utc(2024, 1, 10),
            ModifiedDate = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero), DueDate = new DateOnly(2024, 1, 31),
            IsOverdue = false, Status = InvoiceStatus.Paid,
            CustomerRef = new() { Id = "61", CompanyName = "Acme Ltd" },
            Lines = [new() { Description = "Widgets", Amount = 60m }, new() { Description = "Gadgets", Amount = 40m }],
            Tags = [new() { Key = "region", Value = "uk" }, new() { Key = "tier", Value = "gold" }],
        },
        new()
        {
            Number = "INV-002", ExternalId = Guid.Parse("0b9c1a36-6a7e-4d0e-8a53-1b2c3d4e5f02"),
            Note = null, Quantity = 5, TotalAmount = 250.50m, Rate = 1.25, DiscountPercentage = null,
            IssueDate = Utc(2024, 2, 15, 10, 30), PaidOnDate = null,
            ModifiedDate = new DateTimeOffset(2024, 2, 15, 10, 30, 0, TimeSpan.Zero), DueDate = new DateOnly(2024, 3, 15),
            IsOverdue = true, Status = InvoiceStatus.Submitted,
            CustomerRef = new() { Id = "62", CompanyName = "Globex" },
            Lines = [new() { Description = "Consulting services", Amount = 250.50m }],
            Tags = [new() { Key = "region", Value = "us" }],
        },
        new()
        {
            Number = "INV-003", ExternalId = Invoice3Id,
            Note = "Call before DELIVERY", Quantity = 10, TotalAmount = 49.99m, Rate = -2, DiscountPercentage = 5,
            IssueDate = Utc(2023, 12, 31, 23, 59, 59), PaidOnDate = null,
            ModifiedDate = new DateTimeOffset(2023, 12, 31, 23, 0, 0, TimeSpan.Zero), DueDate = new DateOnly(2024, 1, 30),
            IsOverdue = false, Status = InvoiceStatus.Draft,
            CustomerRef = null,
        },
        new()
        {
            Number = "INV-004", ExternalId = Guid.Parse("0b9c1a36-6a7e-4d0e-8a53-1b2c3d4e5f04"),
            Note = "100% straße && more", Quantity = 0, TotalAmount = 0m, Rate = 0, DiscountPercentage = null,
            IssueDate = Utc(2022, 6, 30), PaidOnDate = null,
            ModifiedDate = new DateTimeOffset(2022, 6, 30, 0, 0, 0, TimeSpan.Zero), DueDate = new DateOnly(2022, 7, 30),
            IsOverdue = false, Status = InvoiceStatus.Void,
            CustomerRef = new() { Id = "61", CompanyName = null },
            Lines = [new() { Description = "Widgets refund", Amount = -10m }],
            Tags = [new() { Key = "region", Value = "UK" }],
        },
        new()
        {
            Number = "INV-005", ExternalId = Guid.Parse("0b9c1a36-6a7e-4d0e-8a53-1b2c3d4e5f05"),
            Note = "Zebra", Quantity = 100, TotalAmount = 1_000_000.01m, Rate = 3.75, DiscountPercentage = 10,
            IssueDate = Utc(2025, 6, 1), PaidOnDate = Utc(2025, 6, 2),
            ModifiedDate = new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero), DueDate = new DateOnly(2025, 7, 1),
            IsOverdue = false, Status = InvoiceStatus.Paid,
            CustomerRef = new() { Id = "63", CompanyName = "Initech" },
            Lines = [new() { Description = "Widgets", Amount = 999m }],
            Tags = [new() { Key = "tier", Value = "silver" }, new() { Key = "cost-centre", Value = "A1" }],
        },
    ];
}
