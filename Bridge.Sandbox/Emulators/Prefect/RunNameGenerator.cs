namespace Bridge.Sandbox.Emulators;

/// <summary>Random two-word flow-run names in Prefect's style (<c>crimson-fox</c>).</summary>
internal static class RunNameGenerator
{
    private static readonly string[] Adjectives =
    [
        "amber", "bold", "brave", "calm", "clever", "crimson", "daring", "eager", "fancy", "gentle", "golden", "happy",
        "icy", "jolly", "keen", "lively", "lucky", "mellow", "nimble", "olive", "proud", "quiet", "rapid", "silver",
        "steady", "swift", "tidy", "vivid", "witty", "zealous",
    ];

    private static readonly string[] Animals =
    [
        "albatross", "badger", "beaver", "cheetah", "condor", "coyote", "dolphin", "falcon", "ferret", "fox", "gecko",
        "heron", "ibex", "jaguar", "koala", "lemur", "lynx", "marmot", "narwhal", "otter", "panda", "puffin", "quail",
        "raven", "salamander", "tapir", "toucan", "walrus", "wombat", "yak",
    ];

    public static string Next() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Animals[Random.Shared.Next(Animals.Length)]}";
}
