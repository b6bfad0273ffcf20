namespace Consentry.Sandbox.Data;

/// <summary>Word lists the generators combine into plausible names.</summary>
internal static class Words
{
    public static readonly string[] FirstNames =
    [
        "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Freya", "Leo", "Priya", "Mohammed",
        "Sofia", "Jack", "Chloe", "Harry", "Zara", "Oscar", "Ruby", "Theo", "Aisha", "Finley", "Grace", "Samuel",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Khan",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Clarke", "Hughes", "Edwards",
    ];

    public static readonly string[] CompanyFirst =
    [
        "Northern", "Bright", "Copper", "Harbour", "Summit", "Oak", "Riverside", "Blue", "Granite", "Meadow", "Silver",
        "Thistle", "Kestrel", "Lantern", "Orchard", "Pioneer", "Quay", "Redwood", "Saffron", "Willow",
    ];

    public static readonly string[] CompanySecond =
    [
        "Widgets", "Bakery", "Design", "Logistics", "Joinery", "Consulting", "Print", "Coffee", "Engineering", "Media",
        "Textiles", "Foods", "Studios", "Builders", "Garden Supplies", "Electrical", "Motors", "Books", "Tech", "Crafts",
    ];

    public static readonly string[] CompanySuffix = ["Ltd", "Limited", "& Co", "LLP", "Ltd", "Trading"];

    public static readonly string[] Cities =
    [
        "London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff", "Edinburgh", "Belfast", "Liverpool",
        "Newcastle", "Sheffield", "Nottingham", "Brighton", "York", "Norwich", "Exeter",
    ];

    public static readonly string[] Streets =
    [
        "High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Street", "King Street",
        "Queens Road", "The Green", "Market Place", "Bridge Street", "New Road",
    ];

    public static readonly string[] Services =
    [
        "Consulting services", "Design work", "Monthly retainer", "Installation", "Maintenance contract",
        "Training session", "Delivery charge", "Website hosting", "Catering", "Printing", "Repairs", "Stock supply",
    ];

    public static readonly string[] ProductAdjectives =
    [
        "Classic", "Organic", "Handmade", "Deluxe", "Everyday", "Eco", "Vintage", "Premium", "Mini", "Travel",
    ];

    public static readonly string[] ProductNouns =
    [
        "Mug", "Notebook", "Candle", "Tote Bag", "T-Shirt", "Tea Blend", "Coffee Beans", "Scarf", "Plant Pot",
        "Poster", "Soap Bar", "Water Bottle", "Phone Case", "Cushion", "Backpack", "Socks",
    ];

    public static readonly string[] ProductCategories = ["Home", "Kitchen", "Clothing", "Stationery", "Food & Drink", "Accessories"];

    public static readonly (string Name, string Category)[] Merchants =
    [
        ("Tesco", "Groceries"), ("Sainsbury's", "Groceries"), ("Shell", "Fuel"), ("BP", "Fuel"),
        ("Trainline", "Travel"), ("TfL", "Travel"), ("Amazon", "Supplies"), ("Staples", "Supplies"),
        ("Google Workspace", "Software"), ("Microsoft", "Software"), ("Xero", "Software"), ("BT", "Utilities"),
        ("British Gas", "Utilities"), ("Pret A Manger", "Meals"), ("Costa Coffee", "Meals"), ("Royal Mail", "Postage"),
        ("HMRC", "Tax"), ("Landlord Properties Ltd", "Rent"), ("Aviva", "Insurance"), ("Screwfix", "Supplies"),
    ];

    public static string CompanyName(ref Rng rng) =>
        $"{rng.Pick(CompanyFirst)} {rng.Pick(CompanySecond)} {rng.Pick(CompanySuffix)}";

    public static string Slug(string name) =>
        new(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    public static object Address(ref Rng rng) => new
    {
        line1 = $"{rng.Range(1, 200)} {rng.Pick(Streets)}",
        city = rng.Pick(Cities),
        postalCode = $"{(char)('A' + rng.Int(26))}{(char)('A' + rng.Int(26))}{rng.Range(1, 20)} {rng.Int(10)}{(char)('A' + rng.Int(26))}{(char)('A' + rng.Int(26))}",
        country = "GB",
    };

    /// <summary>A number from Ofcom's range reserved for drama, so it never reaches anyone.</summary>
    public static string Phone(ref Rng rng) => $"+44 7700 900{rng.Digits(3)}";
}
