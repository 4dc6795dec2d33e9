using System.Reflection;

namespace Bridge.Sandbox.Emulators;

/// <summary>Reads the provider contracts embedded in Bridge.Sandbox (see Contracts/*.json).</summary>
internal static class ContractResource
{
    public const string Prefect = "contracts/prefect-openapi.json";

    public const string Bitbucket = "contracts/bitbucket-cloud-openapi.json";

    public static string ReadText(string logicalName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"Embedded contract '{logicalName}' is missing from Bridge.Sandbox.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
