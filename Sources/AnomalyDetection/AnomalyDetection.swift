// AnomalyDetection library.
