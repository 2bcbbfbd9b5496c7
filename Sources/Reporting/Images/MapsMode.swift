/// Which anomaly maps a run folder gets in `maps/` (`--maps`).
public enum MapsMode: String, CaseIterable, Sendable {
    /// The shown outliers', named by rank (`maps/3-0042-map.png`).
    case top
    /// None: no `maps/` folder, and no overlays in the report.
    case none
    /// Every scored input's, named by its path (`maps/digits__7__0042.png-map.png`), written in
    /// batches by `AllMaps` before the rest of the run folder.
    case all
}
