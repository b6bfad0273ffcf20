namespace Consentry.Sandbox.Data;

/// <summary>The commerce sandbox (sbcm): a shop with customers, products, orders and the payments for them.</summary>
internal static class CommerceData
{
    private const int CompanyTag = 21;
    private const int CustomerTag = 22;
    private const int ProductTag = 23;
    private const int OrderTag = 24;
    private const int PaymentTag = 25;
    private const int LocationTag = 26;
    private const int PaymentMethodTag = 27;
    private const int ProductCategoryTag = 28;
    private const int TaxTag = 29;
    private const decimal VatRate = 0.20m;

    private static readonly string[] PaymentMethods = ["Card", "Card", "Card", "PayPal", "ApplePay", "BankTransfer"];
    private static readonly string[] DistinctPaymentMethods = [.. PaymentMethods.Distinct()];

    // Payment i belongs to order i, so the control API may change payments but not add any.
    public static IReadOnlyList<DataEndpoint> Endpoints { get; } =
    [
        new SingleEndpoint("company", "commerce.company.read", Company),
        new CollectionEndpoint("customers", "commerce.customers.read", CustomerTag, CustomerCount, CustomerModified, Customer),
        new CollectionEndpoint("products", "commerce.products.read", ProductTag, ProductCount, ProductModified, Product),
        new CollectionEndpoint("orders", "commerce.orders.read", OrderTag, OrderCount, OrderModified, Order),
        new CollectionEndpoint("payments", "commerce.payments.read", PaymentTag, OrderCount, OrderModified, Payment,
            CollectionControl.ChangeOnly),
        // Fixed lists the records above refer to by id (a slug of the name), read with the scopes of those records.
        new CollectionEndpoint("locations", "commerce.company.read", LocationTag, _ => 1, (_, _) => DataWindow.Start, Location, CollectionControl.None),
        new CollectionEndpoint("paymentMethods", "commerce.payments.read", PaymentMethodTag, _ => DistinctPaymentMethods.Length, (_, _) => DataWindow.Start,
            (_, i, modified) => new { id = Words.Slug(DistinctPaymentMethods[i]), name = DistinctPaymentMethods[i], status = "Active", modifiedDate = modified },
            CollectionControl.None),
        new CollectionEndpoint("productCategories", "commerce.products.read", ProductCategoryTag, _ => Words.ProductCategories.Length, (_, _) => DataWindow.Start,
            (_, i, modified) => new { id = Words.Slug(Words.ProductCategories[i]), name = Words.ProductCategories[i], modifiedDate = modified },
            CollectionControl.None),
        new CollectionEndpoint("taxComponents", "commerce.company.read", TaxTag, _ => 1, (_, _) => DataWindow.Start,
            (_, _, modified) => new { id = "vat-standard", name = "VAT (standard rate)", rate = VatRate * 100, isCompound = false, modifiedDate = modified },
            CollectionControl.None),
    ];

    /// <summary>The shop's one warehouse: where its stock is and its orders ship from.</summary>
    private static object Location(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(LocationTag, index);
        return new { id = "warehouse", name = "Main warehouse", address = Words.Address(ref rng), modifiedDate = modified };
    }

    private static object Company(UserSeed seed)
    {
        var rng = seed.For(CompanyTag, 0);
        var id = rng.Guid();
        var name = $"{rng.Pick(Words.CompanyFirst)} {rng.Pick(Words.ProductNouns)} Shop";
        return new
        {
            id,
            name,
            currency = "GBP",
            country = "GB",
            website = $"https://{Words.Slug(name)}.example",
            createdDate = DataWindow.Seconds(DataWindow.Start.AddDays(-rng.Range(30, 1500))),
            modifiedDate = DataWindow.End,
        };
    }

    private static int CustomerCount(UserSeed seed) => seed.Count(CustomerTag, 1000, 2500);

    private static (DateTime Created, DateTime Modified) Dates(UserSeed seed, int tag, int index, int count, int maxDelayDays)
    {
        var rng = seed.For(tag + 100, index);
        var created = DataWindow.Spread(index, count, ref rng);
        return (DataWindow.Seconds(created), DataWindow.Seconds(DataWindow.Clamp(created.AddDays(rng.Int(maxDelayDays)))));
    }

    private static DateTime CustomerModified(UserSeed seed, int index) =>
        Dates(seed, CustomerTag, index, CustomerCount(seed), 200).Modified;

    private static object Customer(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(CustomerTag, index);
        var id = rng.Guid();
        var first = rng.Pick(Words.FirstNames);
        var last = rng.Pick(Words.LastNames);
        return new
        {
            id,
            firstName = first,
            lastName = last,
            emailAddress = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{rng.Int(1000)}@mail.example",
            phone = Words.Phone(ref rng),
            address = Words.Address(ref rng),
            createdDate = Dates(seed, CustomerTag, index, CustomerCount(seed), 200).Created,
            modifiedDate = modified,
        };
    }

    private static int ProductCount(UserSeed seed) => seed.Count(ProductTag, 150, 400);

    private static DateTime ProductModified(UserSeed seed, int index) =>
        Dates(seed, ProductTag, index, ProductCount(seed), 365).Modified;

    private static decimal ProductPrice(UserSeed seed, int index)
    {
        var rng = seed.For(ProductTag, index);
        rng.Guid();
        return rng.Money(3, 120);
    }

    private static object Product(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(ProductTag, index);
        var id = rng.Guid();
        var price = rng.Money(3, 120);
        return new
        {
            id,
            sku = $"SKU-{index + 1:D5}",
            name = $"{rng.Pick(Words.ProductAdjectives)} {rng.Pick(Words.ProductNouns)}",
            category = rng.Pick(Words.ProductCategories),
            price,
            locationId = "warehouse",
            currency = "GBP",
            inventoryQuantity = rng.Int(500),
            status = rng.Chance(8) ? "Archived" : "Active",
            createdDate = Dates(seed, ProductTag, index, ProductCount(seed), 365).Created,
            modifiedDate = modified,
        };
    }

    private static int OrderCount(UserSeed seed) => seed.Count(OrderTag, 3000, 7000);

    private static DateTime OrderModified(UserSeed seed, int index) =>
        Dates(seed, OrderTag, index, OrderCount(seed), 14).Modified;

    /// <summary>What an order and its payment share.</summary>
    private static (Guid Id, string Status, DateTime Created, decimal Total, object Lines, decimal SubTotal, decimal Tax, Guid Customer)
        OrderCore(UserSeed seed, int index)
    {
        var rng = seed.For(OrderTag, index);
        var id = rng.Guid();
        var products = ProductCount(seed);
        var lines = Enumerable.Range(0, rng.Range(1, 4)).Select(_ =>
        {
            var product = rng.Int(products);
            var quantity = rng.Range(1, 4);
            var unitPrice = ProductPrice(seed, product);
            return new { productId = seed.Id(ProductTag, product), quantity, unitPrice, subTotal = quantity * unitPrice };
        }).ToList();
        var subTotal = lines.Sum(l => l.subTotal);
        var tax = decimal.Round(subTotal * VatRate, 2);
        var roll = rng.Int(100);
        var status = roll < 85 ? "Fulfilled" : roll < 91 ? "Refunded" : roll < 95 ? "Cancelled" : "Pending";
        var customer = seed.Id(CustomerTag, rng.Int(CustomerCount(seed)));
        var created = Dates(seed, OrderTag, index, OrderCount(seed), 14).Created;
        return (id, status, created, subTotal + tax, lines, subTotal, tax, customer);
    }

    private static object Order(UserSeed seed, int index, DateTime modified)
    {
        var order = OrderCore(seed, index);
        return new
        {
            id = order.Id,
            orderNumber = $"#{10001 + index}",
            customerId = order.Customer,
            createdDate = order.Created,
            currency = "GBP",
            orderLines = order.Lines,
            subTotal = order.SubTotal,
            totalTaxAmount = order.Tax,
            totalAmount = order.Total,
            status = order.Status,
            paymentId = seed.Id(PaymentTag, index),
            locationId = "warehouse",
            modifiedDate = modified,
        };
    }

    private static object Payment(UserSeed seed, int index, DateTime modified)
    {
        var order = OrderCore(seed, index);
        var rng = seed.For(PaymentTag, index);
        var id = rng.Guid();
        return new
        {
            id,
            orderId = order.Id,
            amount = order.Total,
            currency = "GBP",
            method = rng.Pick(PaymentMethods),
            status = order.Status switch
            {
                "Refunded" => "Refunded",
                "Cancelled" => "Failed",
                "Pending" => "Pending",
                _ => "Paid",
            },
            paidDate = order.Created,
            modifiedDate = modified,
        };
    }
}
