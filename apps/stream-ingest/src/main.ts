console.log('stream-ingest: not implemented yet');
