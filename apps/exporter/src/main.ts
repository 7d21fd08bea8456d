console.log('exporter: not implemented yet');
