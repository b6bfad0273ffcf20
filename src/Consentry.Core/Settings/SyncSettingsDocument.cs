namespace Consentry.Core.Settings;

/// <summary>Codat's sync settings for a client or a company, stored as one JSON document.</summary>
public sealed class SyncSettingsDocument
{
    public bool OverridesDefaults { get; set; } = true;

    public List<SyncSetting> Settings { get; set; } = [];
}

/// <summary>Codat's SyncSetting: how and when one data type is read.</summary>
public sealed class SyncSetting
{
    public required string DataType { get; set; }

    public bool FetchOnFirstLink { get; set; }

    /// <summary>Hours between reads.</summary>
    public int SyncSchedule { get; set; }

    public int SyncOrder { get; set; }

    public DateTime? SyncFromUtc { get; set; }

    public int? SyncFromWindow { get; set; }

    public int? MonthsToSync { get; set; }

    public bool IsLocked { get; set; }
}
