namespace Bridge.Worker.Routing;

/// <summary>Where the route table comes from.</summary>
internal sealed class RoutingOptions
{
    public const string Section = "Bridge:Routing";

    /// <summary>Path of the routes file (YAML), absolute or relative to the working directory.</summary>
    public string? File { get; set; }
}
