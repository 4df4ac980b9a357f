// swift-tools-version:6.0
import PackageDescription

// Canvass: survey and satisfaction insight for teams tackling anti-social behaviour.
// No package dependencies by design: Foundation, Glibc/Dispatch and the system SQLite only.
let package = Package(
    name: "Canvass",
    products: [
        .executable(name: "canvass", targets: ["canvass"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Domain-free building blocks.
        .target(name: "SQLite", dependencies: ["CSQLite"], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "JSON"),
        .target(name: "Hashing", dependencies: ["CSystem"]),
        .target(name: "CSV"),
        .target(name: "CSystem"),
        .target(name: "HTTP", dependencies: ["CSystem"]),
        .target(name: "Statistics"),
        .target(name: "Markup"),
        .target(name: "Archive"),
        // Survey domain.
        .target(name: "SurveyEngine", dependencies: ["JSON", "Hashing"]),
        .target(name: "SurveyStore", dependencies: ["SQLite", "SurveyEngine", "Hashing", "CSV", "JSON"]),
        .target(name: "Insight", dependencies: ["SurveyStore", "SurveyEngine", "Statistics", "CSV"]),
        .target(name: "Reports", dependencies: ["Insight", "Statistics", "JSON", "CSV", "Markup", "SurveyStore", "SurveyEngine"]),
        .target(name: "Export", dependencies: ["SurveyStore", "SurveyEngine", "CSV", "JSON"]),
        .target(name: "XLSForm", dependencies: ["JSON", "SurveyEngine", "Archive", "CSV"]),
        .target(name: "Terminal", dependencies: ["SurveyEngine"]),
        .target(name: "Demo", dependencies: ["SurveyStore", "SurveyEngine", "Statistics", "CSV", "JSON"]),
        .target(name: "WebApp", dependencies: ["HTTP", "CSystem", "CSV", "SurveyStore", "SurveyEngine", "SQLite", "Hashing", "JSON", "Insight", "Reports", "Markup"]),
        .target(
            name: "CanvassCLI",
            dependencies: ["SurveyEngine", "SurveyStore", "Terminal", "Insight", "Reports", "Statistics", "JSON", "CSV", "SQLite", "HTTP", "WebApp", "Hashing", "Demo", "Export", "XLSForm"]
        ),
        .executableTarget(name: "canvass", dependencies: ["CanvassCLI"]),

        .target(name: "TestSupport", dependencies: ["Statistics"], path: "Tests/TestSupport"),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "Hashing", "CSV", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
        .testTarget(name: "SurveyEngineTests", dependencies: ["SurveyEngine", "TestSupport"]),
        .testTarget(name: "SurveyStoreTests", dependencies: ["SurveyStore", "SurveyEngine", "SQLite", "TestSupport", "CSV", "JSON"]),
        .testTarget(name: "InsightTests", dependencies: ["Insight", "Reports", "SurveyStore", "SurveyEngine", "JSON", "Statistics", "TestSupport"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "SurveyEngine"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "WebAppTests", dependencies: ["WebApp", "Markup", "HTTP", "SurveyStore", "SurveyEngine", "SQLite", "Hashing", "TestSupport"]),
        .testTarget(name: "CanvassCLITests", dependencies: ["CanvassCLI", "Terminal"]),
        .testTarget(name: "ExportTests", dependencies: ["Export"]),
        .testTarget(name: "XLSFormTests", dependencies: ["XLSForm", "SurveyEngine", "CSV", "JSON", "Archive", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Insight", "Markup", "Statistics", "SurveyStore", "SurveyEngine", "Demo"]),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "Insight", "SurveyStore", "SurveyEngine"]),
        .testTarget(name: "EndToEndTests", dependencies: ["canvass", "SQLite", "TestSupport"]),
    ]
)
